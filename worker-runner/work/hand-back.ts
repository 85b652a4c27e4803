import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { type Db, transactionWithRetry } from "../../db/client";
import { tasks } from "../../db/schema";
import { AttemptLost, fenceAttempt } from "../../lib/attempts/fence-attempt";
import { transitionAttempt } from "../../lib/attempts/transition-attempt";
import { head } from "../../lib/shared/cap";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { transitionTask } from "../../lib/tasks/transition-task";
import type { AttemptTarget } from "../codex/record-agent-events";

/**
 * Hands an attempt back to the runners instead of parking it: the attempt ends
 * `interrupted` with the reason (it continues its thread when resumed), the
 * task stays `running` (a task that was verifying runs again), and a resume
 * job is queued for whichever runner takes it: this one after a restart,
 * another one now. Fenced by `target.runnerId`: only while that runner still
 * holds the attempt live; false when it did not (someone else already did).
 */
export async function handBack(db: Db, boss: PgBoss, target: AttemptTarget, reason: string): Promise<boolean> {
  const handed = await transactionWithRetry(db, async (tx) => {
    try {
      await fenceAttempt(tx, target);
    } catch (error) {
      if (error instanceof AttemptLost) return false;
      throw error;
    }
    await transitionAttempt(tx, target.attemptId, "interrupted", { reason: head(reason, 3500) });
    const [task] = await tx.select({ status: tasks.status, currentAttempt: tasks.currentAttempt }).from(tasks).where(eq(tasks.id, target.taskId));
    if (task?.currentAttempt === target.attemptNumber && task.status === "verifying") {
      await transitionTask(tx, target.taskId, "running", { attempt: target.attemptNumber, reason: head(`Verification was cut short: ${reason}`, 3500) });
    }
    return task?.currentAttempt === target.attemptNumber && (task.status === "running" || task.status === "verifying");
  });
  if (handed) await startTaskAttempt(db, boss, target.taskId, { resume: true });
  return handed;
}
