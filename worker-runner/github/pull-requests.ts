import { RequestError } from "@octokit/request-error";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { pullRequests, reviewComments } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { transitionCi } from "../../lib/github/transition-ci";
import { transitionPullRequest } from "../../lib/github/transition-pull-request";
import { head } from "../../lib/shared/cap";
import type { GitHubRepo } from "./client";

export type PullRequestRow = typeof pullRequests.$inferSelect;

/**
 * The task's open PR: created on the first hand-off (draft or ready per the
 * run's setting), its body refreshed on later ones (a follow-up's push
 * already updated its head). Stored in `pull_requests`.
 */
export async function ensurePullRequest(
  db: Db,
  github: GitHubRepo,
  input: { runId: string; taskId: string; repositoryId: string; branch: string; baseBranch: string; title: string; body: string; draft: boolean; headSha: string },
): Promise<{ row: PullRequestRow; opened: boolean }> {
  const [existing] = await db
    .select()
    .from(pullRequests)
    .where(and(eq(pullRequests.taskId, input.taskId), eq(pullRequests.state, "open")));
  if (existing) {
    await github.octokit.pulls.update({ owner: github.owner, repo: github.repo, pull_number: existing.number, body: input.body });
    return { row: await pushedHead(db, existing.id, input.headSha), opened: false };
  }
  let pull: { number: number; html_url: string; draft?: boolean; head: { sha: string } };
  try {
    ({ data: pull } = await github.octokit.pulls.create({
      owner: github.owner,
      repo: github.repo,
      title: head(input.title, 250),
      head: input.branch,
      base: input.baseBranch,
      body: input.body,
      draft: input.draft,
    }));
  } catch (error) {
    // A PR for this branch already exists (opened before a crash, or by hand): adopt it.
    if (!(error instanceof RequestError) || error.status !== 422) throw error;
    const { data: open } = await github.octokit.pulls.list({ owner: github.owner, repo: github.repo, head: `${github.owner}:${input.branch}`, state: "open" });
    if (!open[0]) throw error;
    pull = open[0];
  }
  const [row] = await db
    .insert(pullRequests)
    .values({
      runId: input.runId,
      taskId: input.taskId,
      repositoryId: input.repositoryId,
      number: pull.number,
      url: pull.html_url,
      headBranch: input.branch,
      headSha: input.headSha,
      baseBranch: input.baseBranch,
      draft: pull.draft ?? input.draft,
      ciState: "pending",
      headPushedAt: new Date(),
    })
    .onConflictDoUpdate({ target: [pullRequests.repositoryId, pullRequests.number], set: { updatedAt: new Date() } })
    .returning({ id: pullRequests.id });
  return { row: await pushedHead(db, row!.id, input.headSha), opened: true };
}

/**
 * Foreman pushed `headSha`: CI starts over for it. A PR adopted after a human
 * reopened it is open again (its stored row said closed).
 */
async function pushedHead(db: Db, pullRequestId: string, headSha: string): Promise<PullRequestRow> {
  return db.transaction(async (tx) => {
    const [stored] = await tx.select({ state: pullRequests.state }).from(pullRequests).where(eq(pullRequests.id, pullRequestId));
    if (stored?.state === "closed") await transitionPullRequest(tx, pullRequestId, "open", { reason: "reopened, and adopted by the hand-off" });
    await transitionCi(tx, pullRequestId, "pending", { headSha });
    const [row] = await tx.update(pullRequests).set({ headPushedAt: new Date() }).where(eq(pullRequests.id, pullRequestId)).returning();
    return row!;
  });
}

/**
 * Answers a review comment on its own thread (an issue comment or a review
 * body gets a quoting PR comment). Foreman's reply is recorded as its own,
 * so the next sync does not triage it.
 */
export async function replyToComment(db: Db, github: GitHubRepo, comment: typeof reviewComments.$inferSelect, pr: PullRequestRow, body: string): Promise<void> {
  const text = head(body, 60_000);
  const posted =
    comment.kind === "review_comment"
      ? (await github.octokit.pulls.createReplyForReviewComment({ owner: github.owner, repo: github.repo, pull_number: pr.number, comment_id: comment.externalId, body: text })).data
      : (
          await github.octokit.issues.createComment({
            owner: github.owner,
            repo: github.repo,
            issue_number: pr.number,
            body: `> ${head(comment.body, 300).replace(/\r?\n/g, "\n> ")}\n\n@${comment.author} ${text}`,
          })
        ).data;
  await db.transaction(async (tx) => {
    await tx
      .insert(reviewComments)
      .values({
        pullRequestId: pr.id,
        taskId: comment.taskId,
        kind: comment.kind === "review_comment" ? "review_comment" : "issue_comment",
        externalId: posted.id,
        author: posted.user?.login ?? "foreman",
        body: head(posted.body ?? text, 20_000),
        url: posted.html_url,
        fromForeman: true,
        handledAt: new Date(),
      })
      .onConflictDoNothing();
    await tx.update(reviewComments).set({ repliedAt: new Date() }).where(eq(reviewComments.id, comment.id));
    await appendEvent(tx, { runId: pr.runId, taskId: comment.taskId, payload: { type: "task.replied", number: pr.number, commentId: comment.id, excerpt: head(text, 500) } });
  });
}

/** After a follow-up's push: tell each comment it addressed what changed. */
export async function replyToAddressed(db: Db, github: GitHubRepo, pr: PullRequestRow, commentIds: readonly string[], message: string): Promise<void> {
  if (commentIds.length === 0) return;
  const pending = await db
    .select()
    .from(reviewComments)
    .where(and(inArray(reviewComments.id, [...commentIds]), isNull(reviewComments.repliedAt)));
  for (const comment of pending) await replyToComment(db, github, comment, pr, message);
}
