import { and, asc, desc, eq, gt, lte } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runEvents } from "../../db/schema";
import type { RunEvent } from "./types";

export const EVENT_PAGE_SIZE = 500;

/** Events of a run after a sequence number, oldest first, one page at a time. */
export async function listEventsAfter(
  db: Queryable,
  runId: string,
  after: number,
  limit = EVENT_PAGE_SIZE,
): Promise<RunEvent[]> {
  const rows = await db
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, after)))
    .orderBy(asc(runEvents.seq))
    .limit(limit);
  return rows.map((row) => ({
    seq: row.seq,
    runId: row.runId,
    taskId: row.taskId,
    type: row.type,
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
  }));
}

/**
 * The seq after which a run's latest `count` events (at or below `upTo`)
 * begin: 0 when the run has no more than that many.
 */
export async function seqBeforeLatest(db: Queryable, runId: string, upTo: number, count: number): Promise<number> {
  const [row] = await db
    .select({ seq: runEvents.seq })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), lte(runEvents.seq, upTo)))
    .orderBy(desc(runEvents.seq))
    .offset(count)
    .limit(1);
  return row?.seq ?? 0;
}
