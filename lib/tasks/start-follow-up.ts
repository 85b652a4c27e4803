import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { attempts, runs, tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import type { QueuePayload } from "../jobs/queues";
import { head } from "../shared/cap";
import type { TaskStatus } from "./status";
import { transitionTask } from "./transition-task";
import { enqueue } from "../jobs/enqueue";

export type FollowUp = NonNullable<QueuePayload<"task.run">["followUp"]>;

/**
 * Starts a follow-up turn on a task's own thread and branch (DESIGN.md §3:
 * "follow-ups resume the same thread so the fix lands on the same branch"):
 * the task goes back to `running` under a new attempt number (fencing) that
 * continues the last attempt's thread; its `task.run` job is queued in the
 * same transaction. Refused when the run is not running or the task moved.
 */
export async function startFollowUp(
  tx: Queryable,
  boss: PgBoss,
  input: { taskId: string; from: readonly TaskStatus[]; followUp: FollowUp; reason: string },
): Promise<{ attempt: number }> {
  const [task] = await tx
    .select({ id: tasks.id, runId: tasks.runId, key: tasks.key, status: tasks.status, currentAttempt: tasks.currentAttempt, runStatus: runs.status })
    .from(tasks)
    .innerJoin(runs, eq(runs.id, tasks.runId))
    .where(eq(tasks.id, input.taskId))
    .for("update", { of: tasks });
  if (!task) throw new AppError("not_found", "No such task.");
  if (task.runStatus !== "running") throw new AppError("state_conflict", `The run is ${task.runStatus.replace("_", " ")}; resume it first.`);
  if (!input.from.includes(task.status)) throw new AppError("state_conflict", `The task is ${task.status.replace("_", " ")}; a follow-up cannot start from there.`);
  const [previous] = await tx
    .select({ number: attempts.number, status: attempts.status })
    .from(attempts)
    .where(and(eq(attempts.taskId, task.id), isNotNull(attempts.threadId)))
    .orderBy(desc(attempts.number))
    .limit(1);
  if (!previous) throw new AppError("state_conflict", `${task.key} has no worker thread to continue; retry it instead.`);
  const [live] = await tx
    .select({ number: attempts.number })
    .from(attempts)
    .where(and(eq(attempts.taskId, task.id), inArray(attempts.status, ["starting", "running"])));
  if (live) throw new AppError("state_conflict", `Attempt ${live.number} of ${task.key} is still working.`);
  const next = task.currentAttempt + 1;
  await tx.update(tasks).set({ currentAttempt: next }).where(and(eq(tasks.id, task.id), eq(tasks.currentAttempt, task.currentAttempt)));
  await transitionTask(tx, task.id, "running", { attempt: next, reason: head(input.reason, 2000) });
  await enqueue(boss, "task.run", { taskId: task.id, attempt: next, replaces: previous.number, followUp: input.followUp }, { tx });
  await appendEvent(tx, {
    runId: task.runId,
    taskId: task.id,
    payload: { type: "run.note", level: "info", message: head(`${task.key}: attempt ${next} continues the thread of attempt ${previous.number} — ${input.reason}`, 4000) },
  });
  return { attempt: next };
}
