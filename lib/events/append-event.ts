import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runEvents, runs } from "../../db/schema";
import { recordMoment } from "../notifications/record-moment";
import { type EventPayload, eventPayloads, NOTIFY_CHANNEL } from "./types";

export type AppendedEvent = { seq: number; runId: string; taskId: string | null; type: string; createdAt: Date };

/**
 * Appends one event and notifies listeners, in the caller's transaction: the
 * NOTIFY is delivered only if the row commits, and so are the webhook
 * deliveries an event that needs a human (or ends the run) creates.
 */
export async function appendEvent(
  tx: Queryable,
  event: { runId: string; taskId?: string | null; payload: EventPayload },
): Promise<AppendedEvent> {
  const parsed = eventPayloads.parse(event.payload);
  const { type, ...payload } = parsed;
  // Race: two transactions appending to one run could commit out of seq order and
  // a reader between them would skip the lower seq; the run's row lock (held to
  // commit) makes commit order equal seq order within a run.
  // Lock order: the run's row is the one lock an append takes, the same lock an
  // UPDATE of the run takes, so a transaction may append and update the run in
  // either order without deadlocking another (an advisory lock here deadlocked
  // against token updates of the run row under load).
  await tx.execute(sql`select 1 from ${runs} where ${runs.id} = ${event.runId} for no key update`);
  const [row] = await tx
    .insert(runEvents)
    .values({ runId: event.runId, taskId: event.taskId ?? null, type, payload })
    .returning({ seq: runEvents.seq, createdAt: runEvents.createdAt });
  if (!row) throw new Error("run_events insert returned no row");
  await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, ${JSON.stringify({ runId: event.runId, seq: row.seq })})`);
  // The one place moments become webhook deliveries: whatever code path appended the event.
  await recordMoment(tx, { runId: event.runId, taskId: event.taskId ?? null, seq: row.seq, payload: parsed });
  return { seq: row.seq, runId: event.runId, taskId: event.taskId ?? null, type, createdAt: row.createdAt };
}
