import { and, eq, sql } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { attempts, tasks } from "../../db/schema";
import { fenceAttempt } from "../../lib/attempts/fence-attempt";
import { appendEvent } from "../../lib/events/append-event";
import { addRunTokens } from "../../lib/runs/add-run-tokens";
import { describeEvent } from "../../lib/events/describe";
import type { EventPayload, TokenUsage } from "../../lib/events/types";
import { head } from "../../lib/shared/cap";

/** The attempt a runner writes for: fenced by its holder (`runnerId`, see fenceAttempt), task writes also by its number. */
export type AttemptTarget = { runId: string; taskId: string; attemptId: string; attemptNumber: number; runnerId: string };

/**
 * Writes the events of one SDK event in one transaction, with the activity
 * they show: the attempt's and task's last activity, the thread id once known,
 * and this turn's tokens on the attempt, the task and the run.
 */
export async function recordAgentEvents(
  db: Db,
  target: AttemptTarget,
  payloads: EventPayload[],
  extra: { threadId?: string | null; usage?: TokenUsage | null } = {},
): Promise<void> {
  const last = payloads.at(-1);
  const usage = extra.usage ?? null;
  // Retried when PostgreSQL breaks a lock conflict with another writer of the run (a heartbeat, a pause),
  // and across a database outage; refused (AttemptLost) once another runner holds the attempt.
  await transactionWithRetry(db, async (tx) => {
    await fenceAttempt(tx, target);
    for (const payload of payloads) await appendEvent(tx, { runId: target.runId, taskId: target.taskId, payload });
    // Sent together (the connection pipelines them, in this order): one round trip under the run's lock, not two.
    const attemptWrite = tx
      .update(attempts)
      .set({
        lastActivityAt: new Date(),
        ...(extra.threadId ? { threadId: extra.threadId } : {}),
        ...(usage
          ? {
              tokensInput: sql`${attempts.tokensInput} + ${usage.input}`,
              tokensCachedInput: sql`${attempts.tokensCachedInput} + ${usage.cachedInput}`,
              tokensOutput: sql`${attempts.tokensOutput} + ${usage.output}`,
            }
          : {}),
      })
      .where(eq(attempts.id, target.attemptId));
    // Race: a replaced (stale) attempt still streaming must not overwrite the new attempt's card.
    const taskWrite = tx
      .update(tasks)
      .set({
        lastActivityAt: new Date(),
        ...(last ? { lastActivity: head(describeEvent({ type: last.type, payload: last }).text, 300) } : {}),
        ...(usage ? { tokensInput: sql`${tasks.tokensInput} + ${usage.input}`, tokensOutput: sql`${tasks.tokensOutput} + ${usage.output}` } : {}),
      })
      .where(and(eq(tasks.id, target.taskId), eq(tasks.currentAttempt, target.attemptNumber)));
    await Promise.all([attemptWrite, taskWrite]);
    if (usage) await addRunTokens(tx, target.runId, usage);
  });
}
