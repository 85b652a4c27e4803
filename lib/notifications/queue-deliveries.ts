import { asc, inArray, isNull, sql } from "drizzle-orm";
import { enqueue } from "../jobs/enqueue";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { webhookDeliveries } from "../../db/schema";
import { DELIVERY_MAX_ATTEMPTS } from "./status";

/** First retry after 10–20 s, doubling up to 15 minutes: six tries span about a quarter of an hour. */
export const DELIVERY_RETRY = { delaySeconds: 10, maxDelaySeconds: 15 * 60 };

const BATCH = 100;

/**
 * Turns pending deliveries into `webhook.deliver` jobs, each with its retries
 * and backoff, marking them queued in the same transaction: a delivery gets
 * one job however many runners look at once.
 */
export async function queueDeliveries(db: Db, boss: PgBoss, retry = DELIVERY_RETRY): Promise<number> {
  let total = 0;
  for (;;) {
    const queued = await db.transaction(async (tx) => {
      // Race: two runners woken by one NOTIFY; each takes rows the other has not locked.
      const rows = await tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(isNull(webhookDeliveries.queuedAt))
        .orderBy(asc(webhookDeliveries.createdAt))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const row of rows) {
        await enqueue(
          boss,
          "webhook.deliver",
          { deliveryId: row.id },
          { tx, retryLimit: DELIVERY_MAX_ATTEMPTS - 1, retryDelay: retry.delaySeconds, retryBackoff: true, retryDelayMax: retry.maxDelaySeconds, expireInSeconds: 60 },
        );
      }
      if (rows.length > 0) await tx.update(webhookDeliveries).set({ queuedAt: sql`now()` }).where(inArray(webhookDeliveries.id, rows.map((row) => row.id)));
      return rows.length;
    });
    total += queued;
    if (queued < BATCH) return total;
  }
}
