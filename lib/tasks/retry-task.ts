import "server-only";
import { eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { runs, tasks } from "../../db/schema";
import { byPerson } from "../auth/person-label";
import { AppError } from "../errors/app-error";
import { startTaskAttempt } from "./start-task-attempt";
import { taskActionAllowed } from "./task-actions";
import { transitionTask } from "./transition-task";

/** A human retries a blocked or failed task: a fresh attempt, fenced by its number. */
export async function retryTask(db: Db, boss: PgBoss, taskId: string, by: string | null): Promise<{ attempt: number; runId: string }> {
  const runId = await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ status: tasks.status, runId: tasks.runId, runStatus: runs.status })
      .from(tasks)
      .innerJoin(runs, eq(runs.id, tasks.runId))
      .where(eq(tasks.id, taskId));
    if (!row) throw new AppError("not_found", "No such task.");
    if (row.runStatus !== "running") throw new AppError("state_conflict", `The run is ${row.runStatus.replace("_", " ")}; resume it before retrying a task.`);
    if (!taskActionAllowed("retry", row.status)) {
      throw new AppError("state_conflict", `The task is ${row.status.replace("_", " ")}; only blocked or failed tasks are retried.`);
    }
    await transitionTask(tx, taskId, "ready", { reason: `retried${await byPerson(tx, by)}` });
    // A human's retry is a fresh budget: stall replacements and the token and turn caps count from the next attempt.
    await tx.update(tasks).set({ stalls: 0, budgetFromAttempt: sql`${tasks.currentAttempt} + 1` }).where(eq(tasks.id, taskId));
    return row.runId;
  });
  const { attempt } = await startTaskAttempt(db, boss, taskId);
  return { attempt, runId };
}
