import "server-only";
import { and, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { attempts, tasks } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { enqueue } from "../jobs/enqueue";
import { jobIdFor } from "../jobs/job-id";

/**
 * Hands a `ready` task to a runner: the next attempt number becomes the only
 * one allowed to write (fencing) and its `task.run` job is queued, together.
 * With `resume`, the current (interrupted) attempt continues its thread instead;
 * its job's id is derived from the interruption, so a human's resume, a runner
 * handing the attempt back and the take-over sweep queue it once between them.
 */
export async function startTaskAttempt(
  db: Db,
  boss: PgBoss,
  taskId: string,
  options: { resume?: boolean } = {},
): Promise<{ attempt: number; jobId: string | null }> {
  return db.transaction(async (tx) => {
    const [task] = await tx.select({ status: tasks.status, currentAttempt: tasks.currentAttempt }).from(tasks).where(eq(tasks.id, taskId)).for("no key update");
    if (!task) throw new AppError("not_found", "No such task.");
    let attempt = task.currentAttempt;
    let id: string | undefined;
    if (!options.resume) {
      if (task.status !== "ready") throw new AppError("state_conflict", `The task is ${task.status.replace("_", " ")}; only a ready task starts an attempt.`);
      attempt += 1;
      await tx.update(tasks).set({ currentAttempt: attempt }).where(eq(tasks.id, taskId));
    } else if (attempt === 0) {
      throw new AppError("state_conflict", "The task has no attempt to resume.");
    } else {
      const [current] = await tx
        .select({ id: attempts.id, endedAt: attempts.endedAt })
        .from(attempts)
        .where(and(eq(attempts.taskId, taskId), eq(attempts.number, attempt)));
      if (current) id = jobIdFor(`task.run:resume:${current.id}:${current.endedAt?.toISOString() ?? "live"}`);
    }
    const jobId = await enqueue(boss, "task.run", { taskId, attempt, ...(options.resume ? { resume: true } : {}) }, { tx, ...(id ? { id } : {}) });
    return { attempt, jobId };
  });
}
