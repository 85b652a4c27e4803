import "server-only";
import { and, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { sealSecret } from "../crypto/secrets";
import { AppError } from "../errors/app-error";
import { DELIVERIES_CHANNEL } from "./record-moment";
import { type CreateWebhookInput, urlLabel, WEBHOOKS_PER_USER } from "./schema";
import { newSigningSecret } from "./sign-webhook";

/**
 * A person's outgoing webhooks (issue #15). The URL and the signing secret
 * are sealed with FOREMAN_SECRET; the secret is returned once, here.
 */
export async function createWebhook(db: Db, userId: string, input: CreateWebhookInput, foremanSecret: string) {
  return db.transaction(async (tx) => {
    // Race: two creations at once could both pass the count; a lock per person orders them.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhooks:${userId}`}, 0))`);
    const [owned] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.userId, userId));
    if ((owned?.n ?? 0) >= WEBHOOKS_PER_USER) throw new AppError("state_conflict", `You have ${WEBHOOKS_PER_USER} webhooks already; delete one first.`);
    if (input.runId) {
      const [run] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, input.runId));
      if (!run) throw new AppError("not_found", "runId: no such run.");
    }
    const signingSecret = input.kind === "json" ? newSigningSecret() : null;
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({
        userId,
        runId: input.runId,
        name: input.name,
        kind: input.kind,
        urlSealed: sealSecret(input.url, foremanSecret),
        urlLabel: urlLabel(input.url),
        secretSealed: signingSecret ? sealSecret(signingSecret, foremanSecret) : null,
        moments: input.moments,
      })
      .returning({ id: webhookEndpoints.id, createdAt: webhookEndpoints.createdAt });
    return { id: row!.id, name: input.name, kind: input.kind, urlLabel: urlLabel(input.url), moments: input.moments, runId: input.runId, createdAt: row!.createdAt, signingSecret };
  });
}

export async function listWebhooks(db: Db, userId: string) {
  return db
    .select({
      id: webhookEndpoints.id,
      name: webhookEndpoints.name,
      kind: webhookEndpoints.kind,
      urlLabel: webhookEndpoints.urlLabel,
      moments: webhookEndpoints.moments,
      runId: webhookEndpoints.runId,
      runTitle: runs.title,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .leftJoin(runs, eq(runs.id, webhookEndpoints.runId))
    .where(eq(webhookEndpoints.userId, userId))
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** A person deletes their own webhooks; an owner may delete anyone's. Its deliveries and their log go with it. */
export async function deleteWebhook(db: Db, id: string, actor: { id: string; isOwner: boolean }): Promise<{ name: string; urlLabel: string }> {
  const owned = actor.isOwner ? undefined : eq(webhookEndpoints.userId, actor.id);
  const [row] = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), owned))
    .returning({ name: webhookEndpoints.name, urlLabel: webhookEndpoints.urlLabel });
  if (!row) throw new AppError("not_found", "No such webhook of yours.");
  return row;
}

/** "Send a test message": a delivery like any other, queued by the runners. */
export async function queueTestDelivery(db: Db, id: string, userId: string): Promise<{ deliveryId: string; name: string }> {
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id, name: webhookEndpoints.name })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)));
    if (!endpoint) throw new AppError("not_found", "No such webhook of yours.");
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        endpointId: endpoint.id,
        moment: "test",
        dedupeKey: `test:${crypto.randomUUID()}`,
        text: `A test message from Foreman to “${endpoint.name}”: this webhook works.`,
      })
      .returning({ id: webhookDeliveries.id });
    await tx.execute(sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`);
    return { deliveryId: row!.id, name: endpoint.name };
  });
}
