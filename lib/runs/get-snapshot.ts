import "server-only";
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { approvals, attempts, heartbeats, pullRequests, questions, repositories, runEvents, runs, tasks, verifications } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { estimateCost } from "./costs";
import { countHonesty } from "./honesty";

/**
 * A run's snapshot (DESIGN.md §8). `seq` is the last event it reflects: a
 * client applies only events after it.
 */
export async function getRunSnapshot(db: Queryable, runId: string) {
  return db.transaction(
    async (tx) => {
      const [row] = await tx
        .select({ run: runs, repositoryName: repositories.name, github: repositories.github })
        .from(runs)
        .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
        .where(eq(runs.id, runId));
      if (!row) throw new AppError("not_found", "No such run.");
      // Sent together: the transaction's connection pipelines them, one round trip instead of one per query.
      const [taskRows, questionRows, approvalRows, heartbeatRows, [last], pullRequestRows, verificationRows, attemptRows, honesty] = await Promise.all([
        tx.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position), asc(tasks.key)),
        tx.select().from(questions).where(eq(questions.runId, runId)).orderBy(asc(questions.createdAt)),
        tx.select().from(approvals).where(eq(approvals.runId, runId)).orderBy(asc(approvals.createdAt)),
        tx.select().from(heartbeats).where(eq(heartbeats.runId, runId)).orderBy(desc(heartbeats.startedAt)).limit(50),
        tx
          .select({ seq: sql<number>`coalesce(max(${runEvents.seq}), 0)::bigint` })
          .from(runEvents)
          .where(eq(runEvents.runId, runId)),
        // The latest pull request and verification of each task, for its card.
        tx
          .selectDistinctOn([pullRequests.taskId], {
            taskId: pullRequests.taskId,
            number: pullRequests.number,
            url: pullRequests.url,
            state: pullRequests.state,
            draft: pullRequests.draft,
            ciState: pullRequests.ciState,
            reviewState: pullRequests.reviewState,
            mergeable: pullRequests.mergeable,
            headSha: pullRequests.headSha,
          })
          .from(pullRequests)
          .where(eq(pullRequests.runId, runId))
          .orderBy(pullRequests.taskId, desc(pullRequests.createdAt)),
        tx
          .selectDistinctOn([verifications.taskId], {
            taskId: verifications.taskId,
            status: verifications.status,
            summary: verifications.summary,
            attemptNumber: verifications.attemptNumber,
          })
          .from(verifications)
          .where(eq(verifications.runId, runId))
          .orderBy(verifications.taskId, desc(verifications.startedAt)),
        tx
          .select({
            taskId: attempts.taskId,
            number: attempts.number,
            status: attempts.status,
            threadId: attempts.threadId,
            startedAt: attempts.startedAt,
            endedAt: attempts.endedAt,
            exitReason: attempts.exitReason,
            tokensInput: attempts.tokensInput,
            tokensCachedInput: attempts.tokensCachedInput,
            tokensOutput: attempts.tokensOutput,
          })
          .from(attempts)
          .where(eq(attempts.runId, runId))
          .orderBy(asc(attempts.number)),
        countHonesty(tx, runId),
      ]);
      const pullRequestByTask = new Map(pullRequestRows.map(({ taskId, ...pullRequest }) => [taskId, pullRequest]));
      const verificationByTask = new Map(verificationRows.map(({ taskId, ...verification }) => [taskId, verification]));
      const prices = row.run.settings.prices ?? null;
      const attemptsByTask = new Map<string, typeof attemptRows>();
      for (const attempt of attemptRows) attemptsByTask.set(attempt.taskId, [...(attemptsByTask.get(attempt.taskId) ?? []), attempt]);
      return {
        run: {
          ...row.run,
          repositoryName: row.repositoryName,
          /** `owner/name` when the handoff is a GitHub pull request; null: a local branch. */
          github: row.github,
          estimatedCostUsd: estimateCost(
            { input: row.run.tokensInput, cachedInput: row.run.tokensCachedInput, output: row.run.tokensOutput },
            prices,
          ),
          /** Worker "done" claims next to Foreman-verified completions. */
          honesty,
        },
        tasks: taskRows.map((task) => ({
          ...task,
          estimatedCostUsd: estimateCost({ input: task.tokensInput, output: task.tokensOutput }, prices),
          pullRequest: pullRequestByTask.get(task.id) ?? null,
          latestVerification: verificationByTask.get(task.id) ?? null,
          attempts: (attemptsByTask.get(task.id) ?? []).map((attempt) => ({
              ...attempt,
              estimatedCostUsd: estimateCost({ input: attempt.tokensInput, cachedInput: attempt.tokensCachedInput, output: attempt.tokensOutput }, prices),
            })),
        })),
        questions: questionRows,
        approvals: approvalRows,
        heartbeats: heartbeatRows,
        seq: Number(last?.seq ?? 0),
      };
    },
    // One consistent view: the snapshot and its seq come from the same moment.
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export type RunSnapshot = Awaited<ReturnType<typeof getRunSnapshot>>;
