import type { AutoCheck, CheckConclusion, CheckRunInput, CheckStatus, MergeMethod, ReviewState, StatusState } from "./schemas";

/**
 * The fake's memory. Git data (branches, commits) lives only in the bare
 * repositories; these records hold what GitHub keeps beside git. Rendering
 * to GitHub's JSON shapes happens in render.ts, never here.
 */

/** A branch tip the fake sees for the first time; `index` counts new tips per branch from 0. */
export type BranchTip = { owner: string; repo: string; branch: string; sha: string; index: number };
export type AutoChecks = AutoCheck[] | ((tip: BranchTip) => CheckRunInput[]);

export type RepoRecord = {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  gitDir: string;
  createdAt: string;
  autoChecks: AutoChecks | null;
  /** Tips seen per branch, oldest first. */
  seenTips: Map<string, string[]>;
  nextNumber: number;
};

export type PullRecord = {
  id: number;
  repoKey: string;
  number: number;
  title: string;
  body: string | null;
  headRef: string;
  baseRef: string;
  draft: boolean;
  state: "open" | "closed";
  merged: boolean;
  author: string;
  maintainerCanModify: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  /** The head sha when last resolved: GitHub keeps it once the branch is deleted. */
  lastHeadSha: string;
  /** Commit and line counts frozen at merge: afterwards the base contains the head and git would say 0. */
  statsAtMerge: { commits: number; additions: number; deletions: number; changedFiles: number } | null;
};

export type CheckRunRecord = {
  id: number;
  repoKey: string;
  headSha: string;
  suiteId: number;
  name: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  output: { title: string | null; summary: string | null; text: string | null };
  detailsUrl: string | null;
  startedAt: string;
  completedAt: string | null;
};

export type StatusRecord = {
  id: number;
  repoKey: string;
  sha: string;
  context: string;
  state: StatusState;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ReviewRecord = {
  id: number;
  repoKey: string;
  number: number;
  author: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
};

export type ReviewCommentRecord = {
  id: number;
  repoKey: string;
  number: number;
  author: string;
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
  body: string;
  commitId: string;
  /** The thread's first comment; GitHub threads are one level deep. */
  inReplyTo: number | null;
  reviewId: number | null;
  createdAt: string;
  updatedAt: string;
};

export type IssueCommentRecord = {
  id: number;
  repoKey: string;
  number: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
};

/** One merge done through `PUT .../pulls/{n}/merge`. */
export type MergeRecord = {
  owner: string;
  repo: string;
  number: number;
  method: MergeMethod;
  /** The new tip of the base branch. */
  sha: string;
  headSha: string;
  baseRef: string;
  baseShaBefore: string;
  message: string;
  at: string;
};

/** A comment Foreman posted through the API (a review-comment reply or an issue comment). */
export type PostedComment = {
  kind: "review_comment_reply" | "issue_comment";
  owner: string;
  repo: string;
  number: number;
  id: number;
  body: string;
  inReplyTo: number | null;
  at: string;
};

export type RecordedRequest = {
  seq: number;
  at: string;
  kind: "api" | "git";
  method: string;
  path: string;
  /** The query string without "?", "" when none. */
  query: string;
  /** The matched route pattern, e.g. "GET /repos/:owner/:repo/pulls/:number"; null when nothing matched. */
  route: string | null;
  status: number;
  ifNoneMatch: boolean;
  /** Request headers, minus Authorization. */
  headers: Record<string, string>;
};

export const repoKey = (owner: string, name: string) => `${owner}/${name}`.toLowerCase();

/** GitHub's timestamp format: ISO 8601 without milliseconds. */
export const timestamp = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export class Store {
  private lastId = 1000;
  readonly repos = new Map<string, RepoRecord>();
  readonly pulls: PullRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  readonly issueComments: IssueCommentRecord[] = [];
  readonly merges: MergeRecord[] = [];
  readonly posted: PostedComment[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Check suites are implied: one per (repository, sha). */
  private readonly suites = new Map<string, number>();

  /** One id sequence for every object, so ids never collide across kinds. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  suiteId(key: string, sha: string): number {
    const suiteKey = `${key}@${sha}`;
    let id = this.suites.get(suiteKey);
    if (id === undefined) {
      id = this.nextId();
      this.suites.set(suiteKey, id);
    }
    return id;
  }

  pull(key: string, number: number): PullRecord | undefined {
    return this.pulls.find((pull) => pull.repoKey === key && pull.number === number);
  }
}
