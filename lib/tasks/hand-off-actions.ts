import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Db, Queryable } from "../../db/client";
import { pullRequests, runs, tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { rejectedPrompt } from "../prompts/worker";
import { isFinalRunStatus } from "../runs/status";
import { head } from "../shared/cap";
import { mergeDecision } from "./merge-decision";
import { startFollowUp } from "./start-follow-up";
import { enqueue } from "../jobs/enqueue";
import { byPerson, personName } from "../auth/person-label";
import { HUMAN_NOTE_MAX, TASK_ACTION_FROM, taskActionAllowed } from "./task-actions";

export const rejectInput = z.object({ reason: z.string().trim().min(1, { message: "say why, so the worker can rework it" }).max(HUMAN_NOTE_MAX) }).strict();

async function lockTask(tx: Queryable, taskId: string) {
  const [row] = await tx
    .select({ task: tasks, runStatus: runs.status, settings: runs.settings })
    .from(tasks)
    .innerJoin(runs, eq(runs.id, tasks.runId))
    .where(eq(tasks.id, taskId))
    .for("update", { of: tasks });
  if (!row) throw new AppError("not_found", "No such task.");
  if (isFinalRunStatus(row.runStatus)) throw new AppError("state_conflict", `The run is ${row.runStatus}; its tasks are settled.`);
  const [pr] = await tx
    .select()
    .from(pullRequests)
    .where(and(eq(pullRequests.taskId, taskId), eq(pullRequests.state, "open")))
    .orderBy(desc(pullRequests.createdAt))
    .limit(1);
  return { ...row, pr: pr ?? null };
}

/**
 * A human accepts a task in review. The runner does the rest (`task.land`):
 * locally it merges the branch into the base (the task is done once merged;
 * a conflict is reported and nothing changes); with a PR the task is done
 * and the PR is left to be merged.
 */
export async function acceptTask(db: Db, boss: PgBoss, taskId: string, by: string): Promise<{ runId: string }> {
  return db.transaction(async (tx) => {
    const { task, pr } = await lockTask(tx, taskId);
    if (!taskActionAllowed("accept", task.status)) throw new AppError("state_conflict", `${task.key} is ${task.status.replace("_", " ")}; only a task in review is accepted.`);
    await tx
      .update(tasks)
      .set({ holdReason: pr ? `Accepted${await byPerson(tx, by)}.` : `Accepted${await byPerson(tx, by)}; merging ${task.branch ?? "its branch"} into the base branch…` })
      .where(eq(tasks.id, taskId));
    await enqueue(boss, "task.land", { taskId, action: "accept", by }, { tx });
    return { runId: task.runId };
  });
}

/** A human merges: the PR on GitHub when CI is green and it is approved (or the run allows), else the local branch. */
export async function mergeTask(db: Db, boss: PgBoss, taskId: string, by: string): Promise<{ runId: string; via: "github" | "local" }> {
  return db.transaction(async (tx) => {
    const { task, pr, settings } = await lockTask(tx, taskId);
    if (pr) {
      const decision = mergeDecision({ taskStatus: task.status, pr, mergeWithoutApproval: settings.mergeWithoutApproval ?? false });
      if (!decision.allowed) throw new AppError("state_conflict", decision.reason);
    } else if (!taskActionAllowed("merge", task.status)) {
      throw new AppError("state_conflict", `${task.key} is ${task.status.replace("_", " ")}; only a task in review or done is merged.`);
    } else if (!task.branch) {
      throw new AppError("state_conflict", `${task.key} has no branch to merge.`);
    }
    await enqueue(boss, "task.land", { taskId, action: "merge", by }, { tx });
    return { runId: task.runId, via: pr ? "github" : "local" };
  });
}

/**
 * A human rejects a task in review with a reason: the worker reworks it on
 * the same thread and branch. Locally the base is merged in first, so the
 * rework also settles any conflict an accept ran into.
 */
export async function rejectTask(db: Db, boss: PgBoss, taskId: string, reason: string, by: string): Promise<{ runId: string; attempt: number }> {
  return db.transaction(async (tx) => {
    const { task, pr } = await lockTask(tx, taskId);
    if (!taskActionAllowed("reject", task.status)) throw new AppError("state_conflict", `${task.key} is ${task.status.replace("_", " ")}; only a task in review is rejected.`);
    const name = await personName(tx, by);
    await appendEvent(tx, { runId: task.runId, taskId, payload: { type: "task.rejected", by, byName: name, reason: head(reason, HUMAN_NOTE_MAX) } });
    const { attempt } = await startFollowUp(tx, boss, {
      taskId,
      from: TASK_ACTION_FROM.reject,
      reason: `Rejected${name ? ` by ${name}` : ""}: ${head(reason, 1000)}`,
      followUp: { purpose: "rejected", prompt: rejectedPrompt({ reason, by: name }), ...(pr ? {} : { mergeBase: "local" as const }) },
    });
    return { runId: task.runId, attempt };
  });
}
