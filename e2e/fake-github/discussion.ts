import type { Core } from "./core";
import { ApiError } from "./http";
import { currentHeadSha } from "./pulls";
import {
  type IssueCommentInput,
  issueCommentInputSchema,
  type ReviewCommentInput,
  reviewCommentInputSchema,
  type ReviewInput,
  reviewInputSchema,
} from "./schemas";
import { type IssueCommentRecord, type PullRecord, type RepoRecord, repoKey, type ReviewCommentRecord, type ReviewRecord, timestamp } from "./state";

/** Reviews and comments: scripted ones come from "people", API ones from the token's user (Foreman). */

export async function addReview(core: Core, repo: RepoRecord, pull: PullRecord, input: ReviewInput): Promise<ReviewRecord> {
  const parsed = reviewInputSchema.parse(input);
  const review: ReviewRecord = {
    id: core.store.nextId(),
    repoKey: repoKey(repo.owner, repo.name),
    number: pull.number,
    author: parsed.author,
    state: parsed.state,
    body: parsed.body,
    commitId: await currentHeadSha(repo, pull),
    submittedAt: timestamp(),
  };
  core.store.reviews.push(review);
  return review;
}

export async function addReviewComment(core: Core, repo: RepoRecord, pull: PullRecord, input: ReviewCommentInput): Promise<ReviewCommentRecord> {
  const parsed = reviewCommentInputSchema.parse(input);
  const root = parsed.inReplyTo !== undefined ? threadRoot(core, repo, pull, parsed.inReplyTo) : null;
  if (parsed.reviewId !== undefined && !core.store.reviews.some((review) => review.id === parsed.reviewId && review.number === pull.number)) {
    throw new Error(`fake-github: no review ${parsed.reviewId} on pull request #${pull.number}`);
  }
  return storeReviewComment(core, repo, pull, {
    author: parsed.author,
    body: parsed.body,
    path: root?.path ?? parsed.path!,
    line: root?.line ?? parsed.line!,
    side: root?.side ?? parsed.side,
    inReplyTo: root?.id ?? null,
    reviewId: parsed.reviewId ?? null,
  });
}

/** `POST .../pulls/{n}/comments/{id}/replies`: the reply joins the thread of the comment it answers. */
export async function replyToReviewComment(core: Core, repo: RepoRecord, pull: PullRecord, commentId: number, body: string): Promise<ReviewCommentRecord> {
  const root = threadRoot(core, repo, pull, commentId);
  const reply = await storeReviewComment(core, repo, pull, {
    author: core.viewer,
    body,
    path: root.path,
    line: root.line,
    side: root.side,
    inReplyTo: root.id,
    reviewId: null,
  });
  core.store.posted.push({
    kind: "review_comment_reply",
    owner: repo.owner,
    repo: repo.name,
    number: pull.number,
    id: reply.id,
    body,
    inReplyTo: root.id,
    at: reply.createdAt,
  });
  return reply;
}

export function addIssueComment(core: Core, repo: RepoRecord, pull: PullRecord, input: IssueCommentInput): IssueCommentRecord {
  const parsed = issueCommentInputSchema.parse(input);
  const now = timestamp();
  const comment: IssueCommentRecord = {
    id: core.store.nextId(),
    repoKey: repoKey(repo.owner, repo.name),
    number: pull.number,
    author: parsed.author,
    body: parsed.body,
    createdAt: now,
    updatedAt: now,
  };
  core.store.issueComments.push(comment);
  return comment;
}

export function postIssueComment(core: Core, repo: RepoRecord, pull: PullRecord, body: string): IssueCommentRecord {
  const comment = addIssueComment(core, repo, pull, { author: core.viewer, body });
  core.store.posted.push({ kind: "issue_comment", owner: repo.owner, repo: repo.name, number: pull.number, id: comment.id, body, inReplyTo: null, at: comment.createdAt });
  return comment;
}

export function reviewComment(core: Core, repo: RepoRecord, id: number): ReviewCommentRecord | undefined {
  return core.store.reviewComments.find((comment) => comment.id === id && comment.repoKey === repoKey(repo.owner, repo.name));
}

/** GitHub threads are one level deep: answering a reply answers its thread's first comment. */
function threadRoot(core: Core, repo: RepoRecord, pull: PullRecord, commentId: number): ReviewCommentRecord {
  const comment = reviewComment(core, repo, commentId);
  if (!comment || comment.number !== pull.number) throw new ApiError(404, "Not Found");
  return comment.inReplyTo === null ? comment : (reviewComment(core, repo, comment.inReplyTo) ?? comment);
}

async function storeReviewComment(
  core: Core,
  repo: RepoRecord,
  pull: PullRecord,
  fields: Pick<ReviewCommentRecord, "author" | "body" | "path" | "line" | "side" | "inReplyTo" | "reviewId">,
): Promise<ReviewCommentRecord> {
  const now = timestamp();
  const comment: ReviewCommentRecord = {
    id: core.store.nextId(),
    repoKey: repoKey(repo.owner, repo.name),
    number: pull.number,
    commitId: await currentHeadSha(repo, pull),
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
  core.store.reviewComments.push(comment);
  return comment;
}
