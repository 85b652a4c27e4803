import { and, eq } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { lockRun } from "../../lib/attempts/fence-attempt";
import { attempts, repositories, runs, tasks } from "../../db/schema";
import { transitionAttempt } from "../../lib/attempts/transition-attempt";
import { appendEvent } from "../../lib/events/append-event";
import { transitionTask } from "../../lib/tasks/transition-task";

export type Claim = {
  mode: "new" | "resume";
  task: typeof tasks.$inferSelect;
  run: typeof runs.$inferSelect;
  repository: typeof repositories.$inferSelect;
  attempt: typeof attempts.$inferSelect;
  /** Why a resumed attempt had been interrupted. */
  resumeReason: string | null;
};

/** Thrown so pg-boss retries the job a little later: the stalled turn is still being stopped. */
export class StalledAttemptStillStopping extends Error {
  constructor(attempt: number) {
    super(`attempt ${attempt} is still stopping; the replacement will retry shortly`);
  }
}

export type ClaimResult = { claimed: true; claim: Claim } | { claimed: false; reason: string };

/**
 * Takes a task's attempt for this runner, or says why not. A new attempt needs
 * the task `ready` and the attempt number current (fencing); a resume needs
 * the attempt `interrupted`. A redelivered job (pg-boss retry after a crash)
 * finds its attempt already taken and does nothing: the orphan recovery owns it.
 */
export async function claimAttempt(
  db: Db,
  input: { taskId: string; attempt: number; resume: boolean; replaces: number | null; runnerId: string; redelivered?: boolean },
): Promise<ClaimResult> {
  const result = await transactionWithRetry(db, async (tx): Promise<ClaimResult> => {
    // Lock order (fence-attempt.ts): the run's row, then the task, then the attempt.
    const [owner] = await tx.select({ runId: tasks.runId }).from(tasks).where(eq(tasks.id, input.taskId));
    if (owner) await lockRun(tx, owner.runId);
    const [task] = await tx.select().from(tasks).where(eq(tasks.id, input.taskId)).for("no key update");
    if (!task) return { claimed: false, reason: "the task no longer exists" };
    const skip = async (reason: string): Promise<ClaimResult> => {
      if (input.redelivered) return { claimed: false, reason };
      await appendEvent(tx, {
        runId: task.runId,
        taskId: task.id,
        payload: { type: "run.note", level: "info", message: `Runner ${input.runnerId} skipped attempt ${input.attempt} of ${task.key}: ${reason}.` },
      });
      return { claimed: false, reason };
    };
    if (task.currentAttempt !== input.attempt) return skip(`it is stale (the task is on attempt ${task.currentAttempt})`);
    const [existing] = await tx
      .select()
      .from(attempts)
      .where(and(eq(attempts.taskId, task.id), eq(attempts.number, input.attempt)))
      .for("no key update");
    let mode: Claim["mode"];
    let attemptId: string;
    let resumeReason: string | null = null;
    if (!existing) {
      if (input.resume) return skip("there is no such attempt to resume");
      let inherited: { threadId: string | null } | null = null;
      if (input.replaces !== null) {
        // Replacing a stalled attempt: the task stays running; its thread carries on once the old turn has stopped.
        const [stalled] = await tx.select().from(attempts).where(and(eq(attempts.taskId, task.id), eq(attempts.number, input.replaces)));
        if (!stalled) return skip(`there is no attempt ${input.replaces} to replace`);
        if (stalled.status === "starting" || stalled.status === "running") throw new StalledAttemptStillStopping(input.replaces);
        if (task.status !== "running") return skip(`the task is ${task.status.replace("_", " ")}, not running`);
        inherited = { threadId: stalled.threadId };
        resumeReason = stalled.exitReason ?? "the previous attempt went silent";
      } else if (task.status !== "ready") return skip(`the task is ${task.status.replace("_", " ")}, not ready`);
      const [created] = await tx
        .insert(attempts)
        .values({ taskId: task.id, runId: task.runId, number: input.attempt, status: "starting", runnerId: input.runnerId, threadId: inherited?.threadId ?? null })
        .returning({ id: attempts.id });
      attemptId = created!.id;
      if (!inherited) await transitionTask(tx, task.id, "running", { attempt: input.attempt, reason: `Attempt ${input.attempt} started on runner ${input.runnerId}.` });
      mode = "new";
    } else {
      if (!input.resume) return skip(`attempt ${input.attempt} was already taken (it is ${existing.status})`);
      if (existing.status !== "interrupted") return skip(`attempt ${input.attempt} is ${existing.status}, not interrupted`);
      if (task.status === "blocked") {
        await transitionTask(tx, task.id, "running", { attempt: input.attempt, reason: `Resuming attempt ${input.attempt}.` });
      } else if (task.status !== "running") {
        return skip(`the task is ${task.status.replace("_", " ")}`);
      }
      await tx.update(attempts).set({ runnerId: input.runnerId }).where(eq(attempts.id, existing.id));
      await transitionAttempt(tx, existing.id, "running", { reason: `Resumed on runner ${input.runnerId}.` });
      attemptId = existing.id;
      resumeReason = existing.exitReason;
      mode = "resume";
    }
    const [attempt] = await tx.select().from(attempts).where(eq(attempts.id, attemptId));
    const [run] = await tx.select().from(runs).where(eq(runs.id, task.runId));
    const [repository] = await tx.select().from(repositories).where(eq(repositories.id, run!.repositoryId));
    const [fresh] = await tx.select().from(tasks).where(eq(tasks.id, task.id));
    return { claimed: true, claim: { mode, task: fresh!, run: run!, repository: repository!, attempt: attempt!, resumeReason } };
  });
  return result;
}
