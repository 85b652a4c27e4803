import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { TaskStatus } from "./status";
import { TASK_TRANSITIONS } from "./transitions";

/** A runner passes the attempt it works for (fencing); `holdReason` is the line the card shows in the new state. */
export type TaskTransitionOptions = TransitionOptions<TaskStatus> & { attempt?: number; holdReason?: string | null };

/**
 * Moves a task to `to` when its status allows it. A runner passes the attempt
 * number it works for: a stale attempt (replaced meanwhile) is fenced off.
 */
export async function transitionTask(
  tx: Queryable,
  taskId: string,
  to: TaskStatus,
  options: TaskTransitionOptions = {},
): Promise<{ from: TaskStatus; to: TaskStatus; runId: string }> {
  const [current] = await tx
    .select({ status: tasks.status, runId: tasks.runId, currentAttempt: tasks.currentAttempt })
    .from(tasks)
    .where(eq(tasks.id, taskId))
    .for("no key update");
  if (!current) throw new AppError("not_found", "No such task.");
  const guards = [eq(tasks.id, taskId), inArray(tasks.status, allowedFrom(TASK_TRANSITIONS, to, options.from))];
  if (options.attempt !== undefined) guards.push(eq(tasks.currentAttempt, options.attempt));
  const [row] = await tx
    .update(tasks)
    .set({ status: to, statusChangedAt: new Date(), holdReason: options.holdReason ?? null })
    .where(and(...guards))
    .returning({ status: tasks.status, attempt: tasks.currentAttempt });
  if (!row) {
    const stale = options.attempt !== undefined && current.currentAttempt !== options.attempt;
    if (stale) throw new AppError("state_conflict", `Attempt ${options.attempt} is stale (the task is on attempt ${current.currentAttempt}); its write was refused.`);
    throw transitionConflict("The task", current.status, to);
  }
  await appendEvent(tx, {
    runId: current.runId,
    taskId,
    payload: { type: "task.status_changed", from: current.status, to, reason: options.reason ?? null, attempt: row.attempt },
  });
  return { from: current.status, to, runId: current.runId };
}
