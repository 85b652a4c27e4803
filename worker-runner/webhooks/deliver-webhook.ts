import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { transitionDelivery } from "../../lib/notifications/transition-delivery";
import type { Db } from "../../db/client";
import { runs, tasks, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import { openSecret } from "../../lib/crypto/secrets";
import { DELIVERY_MAX_ATTEMPTS, DELIVERY_TIMEOUT_MS } from "../../lib/notifications/status";
import { webhookBody } from "../../lib/notifications/webhook-message";
import { head } from "../../lib/shared/cap";
import { sendWebhook } from "./send-webhook";

/** A sender holds a delivery this long: past a receiver's timeout, so a crashed sender's hold runs out before its job is retried. */
const HOLD_SECONDS = Math.ceil(DELIVERY_TIMEOUT_MS / 1000) + 20;

export type DeliverOutcome = "delivered" | "retry" | "failed" | "skipped";

/** Thrown for a failed try that will be tried again: pg-boss retries the job with backoff. */
export class DeliveryRetry extends Error {
  override name = "DeliveryRetry";
}

/**
 * Sends one delivery once. Idempotent: a job run twice (a retry racing a slow
 * first try, a duplicate) finds the delivery delivered, failed or held by the
 * other sender and does nothing. Every try is logged with what the receiver
 * answered and how long it took. A failed try throws `DeliveryRetry` unless it
 * was the last. Nothing here touches the run.
 */
export async function deliverWebhook(
  db: Db,
  input: { deliveryId: string; foremanSecret: string; publicUrl: string; lastJobTry: boolean; timeoutMs?: number },
): Promise<DeliverOutcome> {
  // Race: a duplicate job for this delivery; the conditional hold lets one sender in at a time, and none after it is done.
  const [held] = await db
    .update(webhookDeliveries)
    .set({ claimedUntil: sql`now() + make_interval(secs => ${HOLD_SECONDS})` })
    .where(
      and(
        eq(webhookDeliveries.id, input.deliveryId),
        eq(webhookDeliveries.status, "pending"),
        or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, sql`now()`)),
      ),
    )
    .returning();
  if (!held) return "skipped";
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, held.endpointId));
  if (!endpoint) return "skipped";
  const [run] = held.runId ? await db.select({ id: runs.id, title: runs.title }).from(runs).where(eq(runs.id, held.runId)) : [];
  const [task] = held.taskId ? await db.select({ id: tasks.id, key: tasks.key, title: tasks.title }).from(tasks).where(eq(tasks.id, held.taskId)) : [];

  let sent;
  try {
    const body = webhookBody(
      endpoint.kind,
      { deliveryId: held.id, moment: held.moment, text: held.text, merged: held.merged, createdAt: held.createdAt, run: run ?? null, task: task ?? null },
      input.publicUrl,
    );
    sent = await sendWebhook({
      url: openSecret(endpoint.urlSealed, input.foremanSecret),
      body,
      deliveryId: held.id,
      signingSecret: endpoint.secretSealed ? openSecret(endpoint.secretSealed, input.foremanSecret) : null,
      timeoutMs: input.timeoutMs,
    });
  } catch (error) {
    // A secret sealed under another FOREMAN_SECRET: logged like any failed try.
    sent = { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
  }

  const number = held.attempts + 1;
  const last = !sent.ok && (number >= DELIVERY_MAX_ATTEMPTS || input.lastJobTry);
  const status = sent.ok ? "delivered" : last ? "failed" : "pending";
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ deliveryId: held.id, number, statusCode: sent.statusCode, error: sent.error ? head(sent.error, 1000) : null, durationMs: sent.durationMs });
    await transitionDelivery(tx, held.id, status, { attempts: number });
  });
  if (status === "pending") throw new DeliveryRetry(`try ${number} of ${DELIVERY_MAX_ATTEMPTS} failed: ${sent.error}`);
  return status;
}
