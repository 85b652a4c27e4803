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
  // One statement, one round trip: the lock, the insert (its seq drawn only once the lock is held: the insert reads
  // the locked row) and the NOTIFY (sent at commit). Every round trip under the run's lock holds up the run's
  // other writers; with many workers a transaction's lock was held across three of them per event.
  const [row] = await tx.execute<{ seq: string | number; created_at: string | Date }>(sql`
    with locked as (select id from ${runs} where id = ${event.runId} for no key update),
    inserted as (
      insert into ${runEvents} (run_id, task_id, type, payload)
      select locked.id, ${event.taskId ?? null}::uuid, ${type}, ${JSON.stringify(payload)}::jsonb from locked
      returning seq, created_at
    )
    select seq, created_at, pg_notify(${NOTIFY_CHANNEL}, json_build_object('runId', ${event.runId}::text, 'seq', seq)::text) from inserted`);
  if (!row) throw new Error("run_events insert returned no row: no such run");
  const appended = { seq: Number(row.seq), createdAt: new Date(row.created_at) };
  // The one place moments become webhook deliveries: whatever code path appended the event.
  await recordMoment(tx, { runId: event.runId, taskId: event.taskId ?? null, seq: appended.seq, payload: parsed });
  return { ...appended, runId: event.runId, taskId: event.taskId ?? null, type };
}
