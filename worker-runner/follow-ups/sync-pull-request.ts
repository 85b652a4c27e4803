import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { approvals, attempts, pullRequests, questions, repositories, reviewComments, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { enqueueSync } from "../../lib/github/enqueue-sync";
import { isFailedCheck } from "../../lib/github/fold-ci";
import { transitionCi } from "../../lib/github/transition-ci";
import { recordMerge } from "../../lib/github/record-merge";
import { transitionPullRequest } from "../../lib/github/transition-pull-request";
import { NO_GITHUB } from "../../lib/github/settings";
import { ciFixPrompt } from "../../lib/prompts/worker";
import { isFinalRunStatus } from "../../lib/runs/status";
import { head } from "../../lib/shared/cap";
import { startFollowUp } from "../../lib/tasks/start-follow-up";
import { transitionTask } from "../../lib/tasks/transition-task";
import { canTransitionTask } from "../../lib/tasks/transitions";
import type { RunnerContext } from "../runner-context";
import { removeTaskWorktree } from "../work/remove-task-worktree";
import { connectGitHub, type GitHubRepo } from "../github/client";
import { fetchPullRequestState, type RemoteState } from "../github/fetch-state";
import { replyToComment } from "../github/pull-requests";
import { rateLimitedUntil } from "../github/rate-limit";
import { type Loaded, loadPullRequest } from "./load-pull-request";
import { triageComments } from "./triage-comments";

/** With no CI reported this long after a push, the PR goes to review without it. */
const NO_CI_GRACE_MS = 10 * 60_000;

/**
 * `github.sync` for one PR (DESIGN.md §4.8–4.9): read GitHub (conditional
 * requests), store what changed, post replies that are due, then move the
 * task: merged → done; closed → blocked; a failing head SHA → one CI
 * follow-up (capped); green → needs review; new comments → the manager's
 * triage and their routes. A rate limit pauses the repository's sync until
 * GitHub's reset time; the run goes on.
 */
export async function syncPullRequest(ctx: RunnerContext, pullRequestId: string): Promise<string> {
  const loaded = await loadPullRequest(ctx.db, pullRequestId);
  if (!loaded) return "no such pull request";
  const { pr, run, repository } = loaded;
  if (isFinalRunStatus(run.status)) return `the run is ${run.status}`;
  if (pr.state === "closed") return `PR #${pr.number} is closed`;
  const github = connectGitHub(ctx.agents?.github ?? NO_GITHUB, repository);
  if (!github) return "the repository has no GitHub connection";
  // A merge stored by an earlier sync that could not act then (an attempt was working): settle it, GitHub has nothing new.
  if (pr.state === "merged") return decide(ctx, github, pullRequestId);
  if (repository.githubPausedUntil && repository.githubPausedUntil.getTime() > Date.now()) {
    await enqueueSync(ctx.boss, pr.id, "heartbeat", { startAfter: repository.githubPausedUntil });
    return `paused by GitHub's rate limit until ${repository.githubPausedUntil.toISOString()}`;
  }
  try {
    const remote = await fetchPullRequestState(github, pr);
    if (!(await storeRemoteState(ctx.db, loaded, remote))) return `PR #${pr.number} changed while GitHub was read; this read is dropped`;
    await postDueReplies(ctx.db, github, pullRequestId);
    return await decide(ctx, github, pullRequestId);
  } catch (error) {
    const until = rateLimitedUntil(error);
    if (!until) {
      const message = head(error instanceof Error ? error.message : String(error), 1000);
      await ctx.db.update(pullRequests).set({ lastSyncError: message }).where(eq(pullRequests.id, pr.id));
      throw error;
    }
    await ctx.db.transaction(async (tx) => {
      await tx.update(repositories).set({ githubPausedUntil: until }).where(eq(repositories.id, repository.id));
      await appendEvent(tx, { runId: run.id, taskId: pr.taskId, payload: { type: "github.rate_limited", repository: github.fullName, until: until.toISOString() } });
      await enqueueSync(ctx.boss, pr.id, "heartbeat", { tx, startAfter: until });
    });
    return `rate limited until ${until.toISOString()}`;
  }
}

/**
 * Stores the PR's state and new comments; events only for what changed.
 * False when the read is stale: the PR was merged, closed or given a new head
 * by Foreman while GitHub was read (the queued sync after that reads again).
 */
export async function storeRemoteState(db: Db, { pr, run }: Loaded, remote: RemoteState): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ state: pullRequests.state, headSha: pullRequests.headSha }).from(pullRequests).where(eq(pullRequests.id, pr.id)).for("no key update");
    // Race: land-task merged the PR (or a hand-off pushed) after this sync loaded it; its read must not write `open` over `merged`.
    if (!locked || locked.state !== pr.state || locked.headSha !== pr.headSha) return false;
    if (remote.state === "merged") await recordMerge(tx, pr, { sha: remote.headSha ?? "", by: null, byName: null, reason: "merged on GitHub" });
    else if (remote.state !== pr.state) await transitionPullRequest(tx, pr.id, remote.state, { reason: "synced from GitHub" });
    await transitionCi(tx, pr.id, remote.ciState, { headSha: remote.headSha, seenHeadSha: pr.headSha, checks: remote.checks });
    await tx
      .update(pullRequests)
      .set({ draft: remote.draft, mergeable: remote.mergeable, reviewState: remote.reviewState, etags: JSON.stringify(remote.etags), syncedAt: new Date(), lastSyncError: null })
      .where(eq(pullRequests.id, pr.id));
    if (remote.headSha && (remote.ciState !== pr.ciState || remote.headSha !== pr.headSha)) {
      await appendEvent(tx, {
        runId: run.id,
        taskId: pr.taskId,
        payload: {
          type: "task.ci_changed",
          number: pr.number,
          headSha: remote.headSha,
          from: remote.headSha === pr.headSha ? pr.ciState : "none",
          to: remote.ciState,
          failing: remote.checks.filter(isFailedCheck).slice(0, 20).map((check) => ({ name: check.name, summary: head(check.output ?? "", 1000) })),
        },
      });
    }
    if (remote.state !== pr.state || remote.reviewState !== pr.reviewState || remote.draft !== pr.draft) {
      await appendEvent(tx, {
        runId: run.id,
        taskId: pr.taskId,
        payload: {
          type: "task.pull_request",
          change: "updated",
          number: pr.number,
          url: head(pr.url, 1000),
          state: remote.state,
          draft: remote.draft,
          ciState: remote.ciState,
          reviewState: remote.reviewState,
          headSha: remote.headSha,
        },
      });
    }
    if (remote.comments.length) {
      // Foreman's own replies are already stored (fromForeman), so they conflict and stay untriaged.
      await tx
        .insert(reviewComments)
        .values(remote.comments.map((comment) => ({ ...comment, pullRequestId: pr.id, taskId: pr.taskId, inReplyTo: comment.kind === "review_comment" ? comment.externalId : null })))
        .onConflictDoNothing();
    }
    return true;
  });
}

/** Replies owed on the PR: a human's answer to an `unclear` comment, or the reason an architecture change was declined. */
async function postDueReplies(db: Db, github: GitHubRepo, pullRequestId: string): Promise<void> {
  const due = await db
    .select({ comment: reviewComments, answer: questions.answer, answeredBy: questions.answeredBy, decision: approvals.status, note: approvals.decisionNote })
    .from(reviewComments)
    .leftJoin(questions, eq(questions.id, reviewComments.questionId))
    .leftJoin(approvals, eq(approvals.id, reviewComments.approvalId))
    .where(
      and(
        eq(reviewComments.pullRequestId, pullRequestId),
        isNull(reviewComments.repliedAt),
        or(and(isNotNull(reviewComments.questionId), eq(questions.status, "answered")), and(isNotNull(reviewComments.approvalId), eq(approvals.status, "rejected"))),
      ),
    );
  if (!due.length) return;
  const [pr] = await db.select().from(pullRequests).where(eq(pullRequests.id, pullRequestId));
  for (const row of due) {
    const body =
      row.decision === "rejected"
        ? `Not changing this in this task: a maintainer declined it${row.note ? ` — ${row.note}` : "."}`
        : `Answer from the maintainers: ${row.answer ?? ""}`;
    await replyToComment(db, github, row.comment, pr!, body);
  }
}

async function decide(ctx: RunnerContext, github: GitHubRepo, pullRequestId: string): Promise<string> {
  const loaded = await loadPullRequest(ctx.db, pullRequestId);
  if (!loaded) return "the pull request is gone";
  const { pr, task, run } = loaded;
  const [live] = await ctx.db
    .select({ number: attempts.number })
    .from(attempts)
    .where(and(eq(attempts.taskId, task.id), inArray(attempts.status, ["starting", "running"])));
  if (live) return `attempt ${live.number} is working; the sync after it acts`;

  if (pr.state === "merged") return settle(ctx.db, loaded, "done", `PR #${pr.number} was merged.`, true);
  if (pr.state === "closed") return settle(ctx.db, loaded, "blocked", `PR #${pr.number} was closed without merging: reopen it, or retry the task.`, false);
  if (task.status !== "verifying" && task.status !== "needs_review") return `the task is ${task.status}`;
  if (run.status !== "running") return `the run is ${run.status}; nothing new starts`;

  if (pr.ciState === "failure" && pr.headSha) {
    const cap = run.settings.ciFollowUpCap ?? 3;
    const failing = pr.checks.filter(isFailedCheck);
    if (pr.ciFixShas.includes(pr.headSha) || pr.ciFixShas.length >= cap) {
      const why = pr.ciFixShas.includes(pr.headSha)
        ? `CI still fails on ${pr.headSha.slice(0, 8)} after its follow-up (the fix did not change the branch)`
        : `CI still fails after ${pr.ciFixShas.length} follow-up(s) (cap ${cap})`;
      return settle(ctx.db, loaded, "blocked", `${why}: ${failing.map((check) => check.name).join(", ")}. Look at PR #${pr.number}.`, false);
    }
    await ctx.db.transaction(async (tx) => {
      // One follow-up per failing head SHA: recorded in the same transaction that starts it.
      const [claimed] = await tx
        .update(pullRequests)
        .set({ ciFixShas: sql`array_append(${pullRequests.ciFixShas}, ${pr.headSha})` })
        .where(and(eq(pullRequests.id, pr.id), sql`not (${pr.headSha} = any(${pullRequests.ciFixShas}))`))
        .returning({ id: pullRequests.id });
      if (!claimed) return;
      await startFollowUp(tx, ctx.boss, {
        taskId: task.id,
        from: ["verifying", "needs_review"],
        reason: `CI failed on PR #${pr.number} at ${pr.headSha!.slice(0, 8)} (${failing.map((check) => check.name).join(", ")}): CI follow-up ${pr.ciFixShas.length + 1} of ${cap}.`,
        followUp: {
          purpose: "ci_fix",
          prompt: ciFixPrompt({ number: pr.number, headSha: pr.headSha!, failing: failing.map((check) => ({ name: check.name, output: check.output })), attempt: pr.ciFixShas.length + 1, cap }),
        },
      });
    });
    return `CI failed on ${pr.headSha.slice(0, 8)}: follow-up started`;
  }

  const untriaged = await ctx.db
    .select()
    .from(reviewComments)
    .where(and(eq(reviewComments.pullRequestId, pr.id), eq(reviewComments.fromForeman, false), isNull(reviewComments.handledAt)))
    .orderBy(reviewComments.createdAt);
  if (untriaged.length && ctx.agents) {
    const routed = await triageComments({ db: ctx.db, boss: ctx.boss, runtime: ctx.agents, runnerId: ctx.runnerId }, loaded, untriaged);
    if (routed.followUp) return routed.summary;
  }

  if (task.status === "verifying") {
    if (pr.ciState === "success") return settle(ctx.db, loaded, "needs_review", `PR #${pr.number} is green: review and merge it, or accept the task.`, false);
    const pushedAt = pr.headPushedAt?.getTime() ?? pr.createdAt.getTime();
    if (pr.ciState === "none" && Date.now() - pushedAt > NO_CI_GRACE_MS) {
      return settle(ctx.db, loaded, "needs_review", `No CI reported on PR #${pr.number} within ${NO_CI_GRACE_MS / 60_000} min: a human checks it.`, false);
    }
    // Keeps the card's line current while CI runs.
    await ctx.db.update(tasks).set({ holdReason: `PR #${pr.number}: CI ${pr.ciState} on ${(pr.headSha ?? "").slice(0, 8)}` }).where(eq(tasks.id, task.id));
  }
  return `PR #${pr.number}: CI ${pr.ciState}, review ${pr.reviewState ?? "none"}`;
}

/** Moves the task on for its PR's outcome; a merged PR's worktree is removed (the branch stays). */
async function settle(db: Db, { task }: Loaded, to: "done" | "blocked" | "needs_review", reason: string, merged: boolean): Promise<string> {
  if (task.status === to) return reason;
  if (!canTransitionTask(task.status, to)) return `the task is ${task.status}; ${reason}`;
  // The merge's own event was appended when the sync stored it (lib/github/record-merge.ts).
  await db.transaction((tx) => transitionTask(tx, task.id, to, { reason, attempt: task.currentAttempt, holdReason: to === "done" ? null : reason }));
  if (merged) await removeTaskWorktree(db, task.id);
  return reason;
}
