import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../http/app-error";
import type { TaskStatus } from "./status";
import { allowedTaskFrom } from "./transitions";

/**
 * Moves a task to `to` when its status allows it. A runner passes the attempt
 * number it works for: a stale attempt (replaced meanwhile) is fenced off.
 */
export async function transitionTask(
  tx: Queryable,
  taskId: string,
  to: TaskStatus,
  options: { reason?: string | null; attempt?: number; holdReason?: string | null } = {},
): Promise<{ from: TaskStatus; to: TaskStatus; runId: string }> {
  const [current] = await tx
    .select({ status: tasks.status, runId: tasks.runId, currentAttempt: tasks.currentAttempt })
    .from(tasks)
    .where(eq(tasks.id, taskId))
    .for("no key update");
  if (!current) throw new AppError("not_found", "No such task.");
  const guards = [eq(tasks.id, taskId), inArray(tasks.status, [...allowedTaskFrom(to)])];
  if (options.attempt !== undefined) guards.push(eq(tasks.currentAttempt, options.attempt));
  const [row] = await tx
    .update(tasks)
    .set({ status: to, statusChangedAt: new Date(), holdReason: options.holdReason ?? null })
    .where(and(...guards))
    .returning({ status: tasks.status, attempt: tasks.currentAttempt });
  if (!row) {
    const stale = options.attempt !== undefined && current.currentAttempt !== options.attempt;
    throw new AppError(
      "state_conflict",
      stale
        ? `Attempt ${options.attempt} is stale (the task is on attempt ${current.currentAttempt}); its write was refused.`
        : `The task is ${current.status.replace("_", " ")}; it cannot become ${to.replace("_", " ")} from there.`,
    );
  }
  await appendEvent(tx, {
    runId: current.runId,
    taskId,
    payload: { type: "task.status_changed", from: current.status, to, reason: options.reason ?? null, attempt: row.attempt },
  });
  return { from: current.status, to, runId: current.runId };
}
