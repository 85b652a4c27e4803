import { eq } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { fenceAttempt } from "../../lib/attempts/fence-attempt";
import { attempts, tasks } from "../../db/schema";
import { transitionAttempt } from "../../lib/attempts/transition-attempt";
import type { AttemptStatus } from "../../lib/attempts/status";
import { appendEvent } from "../../lib/events/append-event";
import { AppError } from "../../lib/errors/app-error";
import { head } from "../../lib/shared/cap";
import type { TaskStatus } from "../../lib/tasks/status";
import { transitionTask } from "../../lib/tasks/transition-task";
import type { AttemptTarget } from "../codex/record-agent-events";

/** Reasons are shown on the card and stored in events (≤ 4000 characters). */
export const REASON_MAX = 3500;

/**
 * Ends an attempt and, when given, moves its task (fenced by the attempt
 * number), in one transaction. A conflict (the task was cancelled or replaced
 * meanwhile) is recorded as a note, never thrown over the result.
 */
export async function finishAttempt(
  db: Db,
  target: AttemptTarget,
  input: { attempt: AttemptStatus; task: TaskStatus | null; reason: string },
): Promise<{ taskMoved: boolean }> {
  const reason = head(input.reason, REASON_MAX);
  return transactionWithRetry(db, async (tx) => {
    // Only the attempt's holder ends it (AttemptLost otherwise), retried across a database outage.
    await fenceAttempt(tx, target);
    const [current] = await tx.select({ status: attempts.status }).from(attempts).where(eq(attempts.id, target.attemptId)).for("no key update");
    if (current && current.status !== input.attempt) await transitionAttempt(tx, target.attemptId, input.attempt, { reason });
    if (!input.task) {
      await tx.update(tasks).set({ lastActivity: head(reason, 300), lastActivityAt: new Date() }).where(eq(tasks.id, target.taskId));
      return { taskMoved: false };
    }
    try {
      await transitionTask(tx, target.taskId, input.task, { attempt: target.attemptNumber, reason, holdReason: holdsCard(input.task) ? reason : null });
      await tx.update(tasks).set({ lastActivity: head(reason, 300), lastActivityAt: new Date() }).where(eq(tasks.id, target.taskId));
      return { taskMoved: true };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "state_conflict") throw error;
      await appendEvent(tx, {
        runId: target.runId,
        taskId: target.taskId,
        payload: { type: "run.note", level: "warning", message: head(`Attempt ${target.attemptNumber} ended (${reason}) but the task was not moved: ${error.message}`, 4000) },
      });
      return { taskMoved: false };
    }
  });
}

/** Moves the task within a running attempt (verifying, follow-ups); conflicts propagate. */
export async function moveTask(db: Db, target: AttemptTarget, to: TaskStatus, reason: string): Promise<void> {
  await transactionWithRetry(db, async (tx) => {
    await fenceAttempt(tx, target);
    await transitionTask(tx, target.taskId, to, { attempt: target.attemptNumber, reason: head(reason, REASON_MAX), holdReason: holdsCard(to) ? head(reason, REASON_MAX) : null });
  });
}

const holdsCard = (status: TaskStatus) => status === "blocked" || status === "needs_review" || status === "waiting";
