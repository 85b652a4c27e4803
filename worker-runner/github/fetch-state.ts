import { RequestError } from "@octokit/request-error";
import type { CheckSummary } from "../../db/schema";
import { foldCi, foldReviews } from "../../lib/github/fold-ci";
import type { CiState, CommentKind } from "../../lib/github/status";
import { head } from "../../lib/shared/cap";
import type { GitHubRepo } from "./client";
import type { PullRequestRow } from "./pull-requests";

export type RemoteComment = { kind: CommentKind; externalId: number; author: string; body: string; path: string | null; line: number | null; url: string | null };

export type RemoteState = {
  state: "open" | "closed" | "merged";
  draft: boolean;
  mergeable: boolean | null;
  headSha: string | null;
  ciState: CiState;
  checks: CheckSummary[];
  reviewState: string | null;
  /** Only when the lists changed (a 304 means nothing new). */
  comments: RemoteComment[];
  etags: Record<string, string>;
};

const COMMENT_MAX = 20_000;

/**
 * Reads a PR's state from GitHub with conditional requests: each endpoint's
 * ETag goes back as If-None-Match, and a 304 (free against the rate limit)
 * keeps what was stored. Check runs and commit statuses fold into one CI
 * state for the head SHA.
 */
export async function fetchPullRequestState(github: GitHubRepo, pr: PullRequestRow): Promise<RemoteState> {
  const etags: Record<string, string> = pr.etags ? (JSON.parse(pr.etags) as Record<string, string>) : {};
  const base = { owner: github.owner, repo: github.repo };
  const conditional = async <T>(key: string, call: (headers: Record<string, string>) => Promise<{ data: T; headers: { etag?: string } }>): Promise<T | null> => {
    try {
      const response = await call(etags[key] ? { "if-none-match": etags[key] } : {});
      if (response.headers.etag) etags[key] = response.headers.etag;
      return response.data;
    } catch (error) {
      if (error instanceof RequestError && error.status === 304) return null;
      throw error;
    }
  };

  const pull = await conditional("pull", (headers) => github.octokit.pulls.get({ ...base, pull_number: pr.number, headers }));
  const state = pull ? (pull.merged ? "merged" : pull.state === "closed" ? "closed" : "open") : pr.state;
  const headSha = pull ? pull.head.sha : pr.headSha;
  const draft = pull ? Boolean(pull.draft) : pr.draft;
  const mergeable = pull ? pull.mergeable : pr.mergeable;

  let ciState = pr.ciState;
  let checks = pr.checks;
  if (headSha) {
    // ETags are per SHA: a new head starts fresh.
    const runs = await conditional(`checks:${headSha}`, (headers) => github.octokit.checks.listForRef({ ...base, ref: headSha, per_page: 100, headers }));
    const statuses = await conditional(`status:${headSha}`, (headers) => github.octokit.repos.getCombinedStatusForRef({ ...base, ref: headSha, per_page: 100, headers }));
    const sameSha = headSha === pr.headSha;
    const keptRuns = sameSha ? pr.checks.filter((check) => check.source === "check_run") : [];
    const keptStatuses = sameSha ? pr.checks.filter((check) => check.source === "status") : [];
    if (runs || statuses || !sameSha) {
      const folded = foldCi(
        runs ? runs.check_runs : keptRuns.map(toCheckRun),
        statuses ? statuses.statuses : keptStatuses.map((check) => ({ context: check.name, state: check.status, description: check.output, target_url: check.url })),
      );
      ciState = folded.state;
      checks = folded.checks;
    }
    for (const key of Object.keys(etags)) if ((key.startsWith("checks:") || key.startsWith("status:")) && !key.endsWith(headSha)) delete etags[key];
  }

  let reviewState = pr.reviewState;
  const comments: RemoteComment[] = [];
  const reviews = await conditional("reviews", (headers) => github.octokit.pulls.listReviews({ ...base, pull_number: pr.number, per_page: 100, headers }));
  if (reviews) {
    reviewState = foldReviews(reviews);
    for (const review of reviews) {
      if (!review.body?.trim()) continue;
      comments.push({ kind: "review", externalId: review.id, author: review.user?.login ?? "ghost", body: head(review.body, COMMENT_MAX), path: null, line: null, url: review.html_url });
    }
  }
  const reviewComments = await conditional("comments", (headers) => github.octokit.pulls.listReviewComments({ ...base, pull_number: pr.number, per_page: 100, headers }));
  for (const comment of reviewComments ?? []) {
    comments.push({
      kind: "review_comment",
      externalId: comment.id,
      author: comment.user?.login ?? "ghost",
      body: head(comment.body, COMMENT_MAX),
      path: comment.path,
      line: comment.line ?? comment.original_line ?? null,
      url: comment.html_url,
    });
  }
  const issueComments = await conditional("issue_comments", (headers) => github.octokit.issues.listComments({ ...base, issue_number: pr.number, per_page: 100, headers }));
  for (const comment of issueComments ?? []) {
    comments.push({ kind: "issue_comment", externalId: comment.id, author: comment.user?.login ?? "ghost", body: head(comment.body ?? "", COMMENT_MAX), path: null, line: null, url: comment.html_url });
  }
  return { state, draft, mergeable, headSha, ciState, checks, reviewState, comments, etags };
}

function toCheckRun(check: CheckSummary) {
  return { name: check.name, status: check.status, conclusion: check.conclusion, html_url: check.url, output: check.output ? { summary: check.output } : null };
}
