import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { attempts, runs } from "../../db/schema";

/**
 * Thrown when a runner writes for an attempt it no longer holds: its lease
 * expired and another runner took the attempt over (or a human or the heartbeat
 * ended it). The late writer stands down; it never overwrites the new holder.
 */
export class AttemptLost extends Error {
  override name = "AttemptLost";
  constructor(readonly attemptNumber: number, readonly holder: string | null, readonly status: string | null) {
    super(`attempt ${attemptNumber} is no longer this runner's (${status ?? "gone"}${holder ? `, held by ${holder}` : ""})`);
  }
}

/** Where a runner writes for an attempt: fenced by the attempt's holder and status. */
export type FencedAttempt = { runId: string; attemptId: string; attemptNumber: number; runnerId: string };

/**
 * Lock order for every transaction that writes a run's rows: the run's row
 * first (appendEvent takes the same lock), then the task, then the attempt.
 * Taking it first here means two such transactions never wait on each other
 * in opposite orders.
 */
export async function lockRun(tx: Queryable, runId: string): Promise<void> {
  await tx.execute(sql`select 1 from ${runs} where ${runs.id} = ${runId} for no key update`);
}

/**
 * In the caller's transaction: locks the run, then the attempt, and throws
 * AttemptLost unless `runnerId` still holds the attempt and it is live
 * (starting or running). Every write a runner makes for an attempt starts here.
 */
export async function fenceAttempt(tx: Queryable, target: FencedAttempt): Promise<void> {
  await lockRun(tx, target.runId);
  const [row] = await tx
    .select({ runnerId: attempts.runnerId, status: attempts.status })
    .from(attempts)
    .where(eq(attempts.id, target.attemptId))
    .for("no key update");
  if (!row || row.runnerId !== target.runnerId || (row.status !== "starting" && row.status !== "running")) {
    throw new AttemptLost(target.attemptNumber, row?.runnerId ?? null, row?.status ?? null);
  }
}

/** The attempt's live rows held by `runnerId` (no lock): a quick check before side effects outside the database. */
export async function holdsAttempt(tx: Queryable, target: FencedAttempt): Promise<boolean> {
  const rows = await tx
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.id, target.attemptId), eq(attempts.runnerId, target.runnerId), inArray(attempts.status, ["starting", "running"])));
  return rows.length > 0;
}
