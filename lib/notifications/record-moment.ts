import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { tasks, webhookDeliveries, webhookEndpoints } from "../../db/schema";
import type { EventPayload } from "../events/types";
import { head } from "../shared/cap";
import { type MomentCandidate, momentOfEvent } from "./moment-of-event";

/** NOTIFY channel that wakes the runners' delivery queue (worker-runner/deliveries.ts); it carries nothing. */
export const DELIVERIES_CHANNEL = "foreman_deliveries";

/**
 * Called for every appended event, in its transaction: an event that is a
 * moment (lib/notifications/moment-of-event.ts) becomes one pending delivery
 * per endpoint that wants it, so a delivery exists exactly when the event
 * commits. Sending happens later, in jobs: nothing here waits on a receiver.
 */
export async function recordMoment(tx: Queryable, event: { runId: string; taskId: string | null; seq: number; payload: EventPayload }): Promise<number> {
  const found = momentOfEvent(event.payload);
  if (!found) return 0;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(or(isNull(webhookEndpoints.runId), eq(webhookEndpoints.runId, event.runId)), sql`${found.moment} = any(${webhookEndpoints.moments})`));
  if (endpoints.length === 0) return 0;
  if (found.whileTaskBlocked) {
    if (!event.taskId) return 0;
    const [task] = await tx.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, event.taskId));
    if (task?.status !== "blocked") return 0;
  }
  const dedupeKey = await dedupeKeyOf(tx, event, found);
  await tx
    .insert(webhookDeliveries)
    .values(endpoints.map((endpoint) => ({ endpointId: endpoint.id, runId: event.runId, taskId: event.taskId, moment: found.moment, dedupeKey, text: head(found.text, 4000) })))
    .onConflictDoUpdate({ target: [webhookDeliveries.endpointId, webhookDeliveries.dedupeKey], set: { merged: sql`${webhookDeliveries.merged} + 1` } });
  await tx.execute(sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`);
  return endpoints.length;
}

async function dedupeKeyOf(tx: Queryable, event: { runId: string; taskId: string | null; seq: number }, { moment, group }: MomentCandidate): Promise<string> {
  switch (group.by) {
    case "event":
      return `event:${event.seq}`;
    case "transaction": {
      const [row] = await tx.execute<{ txid: string }>(sql`select txid_current()::text as txid`);
      return `${moment}:transaction:${event.runId}:${row!.txid}`;
    }
    case "review":
      return `review:${event.taskId}:${group.heartbeatId}`;
  }
}
