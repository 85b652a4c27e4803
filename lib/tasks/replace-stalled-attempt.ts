import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { CONTROL_CHANNEL, type ControlMessage } from "../runs/control-message";
import { transitionTask } from "./transition-task";
import { enqueue } from "../jobs/enqueue";

export type StallDecision = { action: "replaced"; attempt: number; stalls: number } | { action: "blocked"; stalls: number; reason: string };

/**
 * Handles a worker that went silent (DESIGN.md §4.8). The runner holding it
 * is told to interrupt it either way. Within the run's replacement cap, the
 * next attempt number becomes current (so the silent attempt's late writes
 * are fenced off) and a new attempt is queued that continues the same thread
 * in the same worktree once the old turn stopped. Past the cap, the task is
 * blocked with how often the model went silent: effort is bounded.
 * Returns null when the task moved on meanwhile.
 */
export async function replaceStalledAttempt(
  tx: Queryable,
  boss: PgBoss,
  stalled: { runId: string; taskId: string; attemptId: string; attemptNumber: number; silentMinutes: number; cap: number },
): Promise<StallDecision | null> {
  const [task] = await tx
    .select({ key: tasks.key, status: tasks.status, currentAttempt: tasks.currentAttempt, stalls: tasks.stalls })
    .from(tasks)
    .where(eq(tasks.id, stalled.taskId))
    .for("no key update");
  if (!task || task.status !== "running" || task.currentAttempt !== stalled.attemptNumber) return null;
  const stalls = task.stalls + 1;
  await tx.update(tasks).set({ stalls }).where(eq(tasks.id, stalled.taskId));
  const message: ControlMessage = { action: "interrupt", runId: stalled.runId, attemptId: stalled.attemptId, reason: "stalled" };
  await tx.execute(sql`select pg_notify(${CONTROL_CHANNEL}, ${JSON.stringify(message)})`);

  if (stalls > stalled.cap) {
    const reason = `The model went silent ${stalls} times (stall replacements capped at ${stalled.cap}): attempt ${stalled.attemptNumber} is interrupted and the task is blocked. Retry it when the model answers again.`;
    // The silent attempt stays current: its own end writes only the attempt row (a stalled turn moves no card).
    await transitionTask(tx, stalled.taskId, "blocked", { attempt: stalled.attemptNumber, reason, holdReason: reason });
    return { action: "blocked", stalls, reason };
  }

  const next = stalled.attemptNumber + 1;
  await tx.update(tasks).set({ currentAttempt: next }).where(and(eq(tasks.id, stalled.taskId), eq(tasks.currentAttempt, stalled.attemptNumber)));
  await enqueue(boss, 
    "task.run",
    { taskId: stalled.taskId, attempt: next, replaces: stalled.attemptNumber },
    // The old turn needs a moment to stop; the claim retries until it has.
    { tx, retryLimit: 10, retryDelay: 3 },
  );
  await appendEvent(tx, {
    runId: stalled.runId,
    taskId: stalled.taskId,
    payload: {
      type: "run.note",
      level: "warning",
      message: `${task.key} was silent for ${stalled.silentMinutes} min: attempt ${stalled.attemptNumber} is interrupted and attempt ${next} continues the same thread (replacement ${stalls} of ${stalled.cap}).`,
    },
  });
  return { action: "replaced", attempt: next, stalls };
}
