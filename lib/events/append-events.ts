import { inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runEvents, runs } from "../../db/schema";
import type { AppendedEvent } from "./append-event";
import { type EventPayload, eventPayloads, NOTIFY_CHANNEL } from "./types";

/**
 * appendEvent for many runs at once (a heartbeat pass): the runs' rows locked
 * in one statement, one multi-row insert, one NOTIFY per run, all in the
 * caller's transaction. The same rule as appendEvent keeps commit order equal
 * to seq order within each run (its row lock is held to commit).
 */
export async function appendEvents(tx: Queryable, events: { runId: string; taskId?: string | null; payload: EventPayload }[]): Promise<AppendedEvent[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => {
    const { type, ...payload } = eventPayloads.parse(event.payload);
    return { runId: event.runId, taskId: event.taskId ?? null, type, payload };
  });
  const runIds = [...new Set(rows.map((row) => row.runId))].sort();
  // Lock order: by id, so two passes over overlapping runs cannot deadlock each other.
  await tx.select({ id: runs.id }).from(runs).where(inArray(runs.id, runIds)).orderBy(runs.id).for("no key update");
  const inserted = await tx.insert(runEvents).values(rows).returning({ seq: runEvents.seq, runId: runEvents.runId, taskId: runEvents.taskId, type: runEvents.type, createdAt: runEvents.createdAt });
  const lastSeq = new Map<string, number>();
  for (const row of inserted) lastSeq.set(row.runId, Math.max(lastSeq.get(row.runId) ?? 0, row.seq));
  const notices = [...lastSeq].map(([runId, seq]) => JSON.stringify({ runId, seq }));
  await tx.execute(sql`select pg_notify(${NOTIFY_CHANNEL}, notice) from jsonb_array_elements_text(${JSON.stringify(notices)}::jsonb) as notice`);
  return inserted;
}
