import { and, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { enqueueSync } from "../../lib/github/enqueue-sync";
import { pullRequestBody } from "../../lib/github/pull-request-body";
import type { Disagreement } from "../../lib/reports/compare-report";
import type { WorkerReport } from "../../lib/reports/worker-report";
import { head } from "../../lib/shared/cap";
import type { FollowUp } from "../../lib/tasks/start-follow-up";
import type { TaskStatus } from "../../lib/tasks/status";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { removeWorktree } from "../git/remove-worktree";
import { connectGitHub, localHandoffReason } from "../github/client";
import { ensurePullRequest, replyToAddressed } from "../github/pull-requests";
import { RateLimited, rateLimitedUntil } from "../github/rate-limit";
import { pushBranch } from "../github/remote";
import type { VerificationOutcome } from "../verify/verify-task";
import type { Claim } from "./claim-attempt";
import { reviewReason } from "./decide-outcome";
import { finishAttempt } from "./finish-attempt";
import type { ManagerReview } from "./review-by-manager";
import type { TaskWorktree } from "./prepare-task-worktree";

export type HandOffContext = { db: Db; runtime: AgentRuntime; boss?: PgBoss };

/**
 * After Foreman's verification passed (DESIGN.md §4.7): with GitHub, push the
 * branch and open (or refresh) the PR, then wait in `verifying` for CI; the
 * PR sync moves the task on. Without GitHub, the hand-off is the branch and
 * its diff: `done`, or `needs_review` when a human must look (always after a
 * human's rejection or a conflict they asked to resolve).
 */
export async function handOff(
  ctx: HandOffContext,
  claim: Claim,
  target: AttemptTarget,
  worktree: TaskWorktree,
  input: { report: WorkerReport; verification: VerificationOutcome; followUp: FollowUp | null; managerReview?: ManagerReview | null; disputes?: readonly Disagreement[] },
): Promise<{ status: TaskStatus; reason: string }> {
  const { db, runtime } = ctx;
  const { task, run, repository } = claim;
  const github = connectGitHub(runtime.github, repository);
  if (!github) {
    const local = localHandoffReason(runtime.github, repository);
    if (local) await appendEvent(db, { runId: target.runId, taskId: target.taskId, payload: { type: "run.note", level: "warning", message: local } });
    const humanAsked = input.followUp?.purpose === "rejected" || input.followUp?.purpose === "conflict";
    const review =
      reviewReason({ kind: task.kind, manual: task.verification.manual, requireHumanAccept: run.settings.requireHumanAccept }, input.report, input.verification, input.managerReview ?? null) ??
      (humanAsked ? "Reworked after a human's request: accept it to merge the branch." : null);
    const to: TaskStatus = review ? "needs_review" : "done";
    const reason = review ?? `Verified by Foreman: ${input.verification.summary}. The branch ${worktree.branch} is the hand-off.`;
    await finishAttempt(db, target, { attempt: "completed", task: to, reason });
    if (to === "done") await removeWorktree(worktree.repoPath, worktree.path, worktree.keepOut);
    return { status: to, reason };
  }

  try {
    const sha = await pushBranch(worktree.path, github, worktree.branch);
    await appendEvent(db, {
      runId: target.runId,
      taskId: target.taskId,
      payload: { type: "task.pushed", attempt: target.attemptNumber, branch: worktree.branch, sha, remote: github.fullName },
    });
    const runUrl = `${runtime.github.publicUrl ?? ""}/runs/${run.id}`;
    const { row, opened } = await ensurePullRequest(db, github, {
      runId: run.id,
      taskId: task.id,
      repositoryId: repository.id,
      branch: worktree.branch,
      baseBranch: repository.baseBranch,
      title: `${task.key}: ${task.title}`,
      body: pullRequestBody({ task, report: input.report, verification: { ...input.verification, commands: input.verification.results }, disputes: input.disputes ?? [], runUrl }),
      draft: run.settings.draftPullRequests,
      headSha: sha,
    });
    await appendEvent(db, {
      runId: target.runId,
      taskId: target.taskId,
      payload: {
        type: "task.pull_request",
        change: opened ? "opened" : "updated",
        number: row.number,
        url: head(row.url, 1000),
        state: row.state,
        draft: row.draft,
        ciState: row.ciState,
        reviewState: row.reviewState,
        headSha: sha,
      },
    });
    if (input.followUp?.commentIds?.length) {
      await replyToAddressed(db, github, row, input.followUp.commentIds, `Addressed in ${sha.slice(0, 12)}: ${head(input.report.summary, 2000)}`);
    }
    const reason = `Verified by Foreman and pushed ${sha.slice(0, 8)}: PR #${row.number} waits for CI.`;
    await finishAttempt(db, target, { attempt: "completed", task: null, reason });
    await db
      .update(tasks)
      .set({ holdReason: `PR #${row.number}: waiting for CI on ${sha.slice(0, 8)}` })
      .where(and(eq(tasks.id, task.id), eq(tasks.currentAttempt, target.attemptNumber)));
    if (ctx.boss) await enqueueSync(ctx.boss, row.id, "opened");
    return { status: "verifying", reason };
  } catch (error) {
    const limited = error instanceof RateLimited ? error.until : rateLimitedUntil(error);
    const why = limited
      ? `GitHub's rate limit is reached until ${limited.toISOString()}; retry the task after that.`
      : `${error instanceof Error ? error.message : String(error)}. Check the token can push to and open pull requests on ${github.fullName}, then retry the task.`;
    const reason = `Verified, but the hand-off to GitHub failed: ${why}`;
    await finishAttempt(db, target, { attempt: "completed", task: "blocked", reason });
    return { status: "blocked", reason };
  }
}
