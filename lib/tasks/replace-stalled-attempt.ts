import { and, eq, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { CONTROL_CHANNEL, type ControlMessage } from "../runs/control-message";

/**
 * Replaces a worker that went silent (DESIGN.md §4.8): the next attempt number
 * becomes current (so the silent attempt's late writes are fenced off), the
 * runner holding it is told to interrupt it, and a new attempt is queued that
 * continues the same thread in the same worktree once the old turn stopped.
 * Returns null when the task moved on meanwhile.
 */
export async function replaceStalledAttempt(
  tx: Queryable,
  boss: PgBoss,
  stalled: { runId: string; taskId: string; attemptId: string; attemptNumber: number; silentMinutes: number },
): Promise<{ attempt: number } | null> {
  const [task] = await tx.select({ key: tasks.key, status: tasks.status, currentAttempt: tasks.currentAttempt }).from(tasks).where(eq(tasks.id, stalled.taskId)).for("update");
  if (!task || task.status !== "running" || task.currentAttempt !== stalled.attemptNumber) return null;
  const next = stalled.attemptNumber + 1;
  await tx.update(tasks).set({ currentAttempt: next }).where(and(eq(tasks.id, stalled.taskId), eq(tasks.currentAttempt, stalled.attemptNumber)));
  const message: ControlMessage = { action: "interrupt", runId: stalled.runId, attemptId: stalled.attemptId, reason: "stalled" };
  await tx.execute(sql`select pg_notify(${CONTROL_CHANNEL}, ${JSON.stringify(message)})`);
  await boss.send(
    "task.run",
    { taskId: stalled.taskId, attempt: next, replaces: stalled.attemptNumber },
    // The old turn needs a moment to stop; the claim retries until it has.
    { db: fromDrizzle(tx, sql), retryLimit: 10, retryDelay: 3 },
  );
  await appendEvent(tx, {
    runId: stalled.runId,
    taskId: stalled.taskId,
    payload: {
      type: "run.note",
      level: "warning",
      message: `${task.key} was silent for ${stalled.silentMinutes} min: attempt ${stalled.attemptNumber} is interrupted and attempt ${next} continues the same thread.`,
    },
  });
  return { attempt: next };
}
