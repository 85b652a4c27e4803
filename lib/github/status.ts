export const PULL_REQUEST_STATES = ["open", "closed", "merged"] as const;
export type PullRequestState = (typeof PULL_REQUEST_STATES)[number];

/** One CI state per head SHA, folded from check runs and commit statuses. */
export const CI_STATES = ["none", "pending", "success", "failure"] as const;
export type CiState = (typeof CI_STATES)[number];

export const COMMENT_CATEGORIES = [
  "bug",
  "style",
  "test_request",
  "architecture",
  "documentation",
  "unclear",
] as const;
export type CommentCategory = (typeof COMMENT_CATEGORIES)[number];

export const COMMENT_KINDS = ["review", "review_comment", "issue_comment"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];
