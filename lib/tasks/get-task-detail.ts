import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { attempts, pullRequests, reports, reviewComments, tasks, verifications } from "../../db/schema";
import { isTruncatedDiff } from "../diffs/parse-unified-diff";
import { AppError } from "../errors/app-error";
import { workerReportSchema } from "../reports/worker-report";
import { handoffDiffSchema } from "../diffs/handoff-diff";

/** The run a task belongs to, or null: routes check access against it before reading more. */
export async function findTaskRunId(db: Queryable, taskId: string): Promise<string | null> {
  const [row] = await db.select({ runId: tasks.runId }).from(tasks).where(eq(tasks.id, taskId));
  return row?.runId ?? null;
}

const lineageColumns = { id: tasks.id, key: tasks.key, title: tasks.title, status: tasks.status, kind: tasks.kind };

/**
 * Everything the task drawer shows beyond the run snapshot (GET /api/tasks/:id):
 * the worker's reports, Foreman's verifications, the latest handoff diff, the
 * pull request with its review comments, and the follow-up lineage. One
 * repeatable-read transaction, so the parts agree with each other.
 */
export async function getTaskDetail(db: Queryable, taskId: string) {
  return db.transaction(
    async (tx) => {
      const [task] = await tx
        .select({ ...lineageColumns, runId: tasks.runId, parentTaskId: tasks.parentTaskId, currentAttempt: tasks.currentAttempt, branch: tasks.branch, stalls: tasks.stalls, disputedClaims: tasks.disputedClaims })
        .from(tasks)
        .where(eq(tasks.id, taskId));
      if (!task) throw new AppError("not_found", "No such task.");

      const [reportRows, verificationRows, [diffRow], [pullRequest], followUps, [parent]] = await Promise.all([
        tx
          .select({
            id: reports.id,
            kind: reports.kind,
            attemptNumber: attempts.number,
            valid: reports.valid,
            error: reports.error,
            payload: reports.payload,
            // A diff's text comes once, as `diff` below; the list keeps only its stat.
            raw: sql<string | null>`case when ${reports.kind} = 'handoff_diff' then null else ${reports.raw} end`,
            createdAt: reports.createdAt,
          })
          .from(reports)
          .leftJoin(attempts, eq(attempts.id, reports.attemptId))
          .where(eq(reports.taskId, taskId))
          .orderBy(desc(reports.createdAt)),
        tx
          .select({
            id: verifications.id,
            attemptNumber: verifications.attemptNumber,
            status: verifications.status,
            changedFiles: verifications.changedFiles,
            outOfScope: verifications.outOfScope,
            commands: verifications.commands,
            headSha: verifications.headSha,
            summary: verifications.summary,
            startedAt: verifications.startedAt,
            finishedAt: verifications.finishedAt,
            checkFiles: verifications.checkFiles,
            startChecks: verifications.startChecks,
            weakening: verifications.weakening,
            disputes: verifications.disputes,
          })
          .from(verifications)
          .where(eq(verifications.taskId, taskId))
          .orderBy(desc(verifications.startedAt)),
        tx
          .select({ id: reports.id, attemptNumber: attempts.number, payload: reports.payload, raw: reports.raw, createdAt: reports.createdAt })
          .from(reports)
          .leftJoin(attempts, eq(attempts.id, reports.attemptId))
          .where(and(eq(reports.taskId, taskId), eq(reports.kind, "handoff_diff")))
          .orderBy(desc(reports.createdAt))
          .limit(1),
        tx
          .select({
            id: pullRequests.id,
            number: pullRequests.number,
            url: pullRequests.url,
            state: pullRequests.state,
            draft: pullRequests.draft,
            mergeable: pullRequests.mergeable,
            ciState: pullRequests.ciState,
            reviewState: pullRequests.reviewState,
            headBranch: pullRequests.headBranch,
            headSha: pullRequests.headSha,
            baseBranch: pullRequests.baseBranch,
            syncedAt: pullRequests.syncedAt,
            mergedAt: pullRequests.mergedAt,
            createdAt: pullRequests.createdAt,
          })
          .from(pullRequests)
          .where(eq(pullRequests.taskId, taskId))
          .orderBy(desc(pullRequests.createdAt))
          .limit(1),
        tx.select(lineageColumns).from(tasks).where(eq(tasks.parentTaskId, taskId)).orderBy(asc(tasks.createdAt)),
        task.parentTaskId ? tx.select(lineageColumns).from(tasks).where(eq(tasks.id, task.parentTaskId)) : Promise.resolve([]),
      ]);

      const comments = await tx
        .select({
          id: reviewComments.id,
          pullRequestId: reviewComments.pullRequestId,
          kind: reviewComments.kind,
          author: reviewComments.author,
          body: reviewComments.body,
          path: reviewComments.path,
          line: reviewComments.line,
          url: reviewComments.url,
          category: reviewComments.category,
          triageAction: reviewComments.triageAction,
          followUpTaskId: reviewComments.followUpTaskId,
          handledAt: reviewComments.handledAt,
          createdAt: reviewComments.createdAt,
        })
        .from(reviewComments)
        .where(eq(reviewComments.taskId, taskId))
        .orderBy(asc(reviewComments.createdAt));

      const stat = handoffDiffSchema.partial().safeParse(diffRow?.payload ?? {}).data ?? {};
      const raw = diffRow?.raw ?? "";
      return {
        task,
        reports: reportRows.map((report) => ({
          ...report,
          // The UI trusts only what still parses as today's WorkerReport.
          workerReport: report.kind === "worker_report" && report.valid ? (workerReportSchema.safeParse(report.payload).data ?? null) : null,
        })),
        verifications: verificationRows,
        diff: diffRow
          ? {
              reportId: diffRow.id,
              attemptNumber: diffRow.attemptNumber,
              branch: stat.branch ?? null,
              startSha: stat.startSha ?? null,
              files: stat.files ?? null,
              insertions: stat.insertions ?? null,
              deletions: stat.deletions ?? null,
              stat: stat.stat ?? null,
              raw,
              truncated: isTruncatedDiff(raw),
              createdAt: diffRow.createdAt,
            }
          : null,
        pullRequest: pullRequest ?? null,
        reviewComments: comments,
        parent: parent ?? null,
        followUps,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

export type TaskDetail = Awaited<ReturnType<typeof getTaskDetail>>;
