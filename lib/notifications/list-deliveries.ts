import "server-only";
import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs, tasks, webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import type { DeliveryLogRow } from "./describe-delivery";

/** A person's latest deliveries, newest first, each with its tries. */
export async function listDeliveries(db: Db, userId: string, limit = 50): Promise<(DeliveryLogRow & { id: string; createdAt: Date })[]> {
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      moment: webhookDeliveries.moment,
      text: webhookDeliveries.text,
      merged: webhookDeliveries.merged,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
      endpointName: webhookEndpoints.name,
      runTitle: runs.title,
      taskKey: tasks.key,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .leftJoin(runs, eq(runs.id, webhookDeliveries.runId))
    .leftJoin(tasks, eq(tasks.id, webhookDeliveries.taskId))
    .where(eq(webhookEndpoints.userId, userId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
  const tries = rows.length
    ? await db
        .select({ deliveryId: webhookAttempts.deliveryId, number: webhookAttempts.number, statusCode: webhookAttempts.statusCode, error: webhookAttempts.error, durationMs: webhookAttempts.durationMs })
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, rows.map((row) => row.id)))
        .orderBy(asc(webhookAttempts.number))
    : [];
  return rows.map((row) => ({ ...row, tries: tries.filter((attempt) => attempt.deliveryId === row.id) }));
}
