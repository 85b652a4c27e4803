import "server-only";
import { Webhooks } from "@octokit/webhooks";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Db } from "../../db/client";
import { githubDeliveries, pullRequests, repositories } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { head } from "../shared/cap";
import { enqueueSync } from "./enqueue-sync";

/** GitHub caps payloads at 25 MB; the events Foreman follows are far smaller. */
export { WEBHOOK_MAX_BYTES } from "../http/body-limit";
const DELIVERIES_KEPT_DAYS = 7;

/** Only the fields Foreman reads; everything else in the payload is ignored. */
const payloadSchema = z.object({
  action: z.string().max(100).optional(),
  repository: z.object({ full_name: z.string().max(200) }).optional(),
  number: z.number().int().optional(),
  pull_request: z.object({ number: z.number().int() }).optional(),
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }).optional(),
  check_run: z.object({ head_sha: z.string().max(64), pull_requests: z.array(z.object({ number: z.number().int() })).optional() }).optional(),
  check_suite: z.object({ head_sha: z.string().max(64), pull_requests: z.array(z.object({ number: z.number().int() })).optional() }).optional(),
  sha: z.string().max(64).optional(),
});

export type WebhookDelivery = { body: string; signature: string | null; event: string | null; deliveryId: string | null };

/**
 * `POST /api/github/webhook`: the signature (HMAC-SHA256 over the raw body
 * with GITHUB_WEBHOOK_SECRET) is checked before anything is read; a replayed
 * delivery id is ignored; the PRs it concerns are synced at once (the sync
 * reads GitHub itself, so the payload is never trusted for state).
 */
export async function receiveWebhook(db: Db, boss: PgBoss, secret: string | undefined, delivery: WebhookDelivery): Promise<{ duplicate: boolean; synced: number }> {
  if (!secret) throw new AppError("unavailable", "GitHub webhooks are off: set GITHUB_WEBHOOK_SECRET (and the same secret on GitHub). Foreman still polls on every heartbeat.");
  if (!delivery.signature || !(await new Webhooks({ secret }).verify(delivery.body, delivery.signature).catch(() => false))) {
    throw new AppError("unauthenticated", "The webhook signature does not match GITHUB_WEBHOOK_SECRET.");
  }
  if (!delivery.deliveryId || !delivery.event) throw new AppError("validation_failed", "X-GitHub-Delivery and X-GitHub-Event are required.");
  let json: unknown;
  try {
    json = JSON.parse(delivery.body);
  } catch {
    throw new AppError("validation_failed", "The webhook body is not JSON.");
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) throw new AppError("validation_failed", "The webhook payload has an unexpected shape.");
  const data = payload.data;
  const deliveryId = head(delivery.deliveryId, 200);
  const event = head(delivery.event, 100);

  return db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(githubDeliveries)
      .values({ id: deliveryId, event, action: data.action ?? null, repository: data.repository?.full_name ?? null })
      .onConflictDoNothing()
      .returning({ id: githubDeliveries.id });
    if (!fresh) return { duplicate: true, synced: 0 };
    await tx.delete(githubDeliveries).where(lt(githubDeliveries.receivedAt, sql`now() - make_interval(days => ${DELIVERIES_KEPT_DAYS})`));
    if (!data.repository) return { duplicate: false, synced: 0 };

    const numbers = new Set<number>(
      [
        data.pull_request?.number,
        data.issue?.pull_request ? data.issue.number : undefined,
        event === "pull_request" ? data.number : undefined,
        ...(data.check_run?.pull_requests ?? []).map((pr) => pr.number),
        ...(data.check_suite?.pull_requests ?? []).map((pr) => pr.number),
      ].filter((number): number is number => number !== undefined),
    );
    const sha = data.check_run?.head_sha ?? data.check_suite?.head_sha ?? (event === "status" ? data.sha : undefined);

    const matches = [...numbers].map((number) => eq(pullRequests.number, number));
    if (sha) matches.push(eq(pullRequests.headSha, sha));
    if (!matches.length) return { duplicate: false, synced: 0 };
    const affected = await tx
      .select({ id: pullRequests.id, runId: pullRequests.runId, taskId: pullRequests.taskId })
      .from(pullRequests)
      .innerJoin(repositories, eq(repositories.id, pullRequests.repositoryId))
      .where(and(sql`lower(${repositories.github}) = lower(${data.repository.full_name})`, eq(pullRequests.state, "open"), or(...matches)));
    for (const pr of affected) {
      await appendEvent(tx, { runId: pr.runId, taskId: pr.taskId, payload: { type: "github.webhook", event, action: data.action ? head(data.action, 100) : null, deliveryId } });
      await enqueueSync(boss, pr.id, "webhook", { tx });
    }
    return { duplicate: false, synced: affected.length };
  });
}
