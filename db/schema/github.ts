import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt } from "./columns";
import { ciState, commentCategory, commentKind, pullRequestState } from "./enums";
import { repositories, runs } from "./runs";
import { tasks } from "./tasks";

export type CheckSummary = {
  name: string;
  source: "check_run" | "status";
  /** queued | in_progress | completed, or a status' pending / success / failure / error. */
  status: string;
  conclusion: string | null;
  /** The check's own output (title, summary, text), capped: untrusted. */
  output: string | null;
  url: string | null;
};

export const pullRequests = pgTable(
  "pull_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    repositoryId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    url: text().notNull(),
    headBranch: text().notNull(),
    headSha: text(),
    baseBranch: text().notNull(),
    state: pullRequestState().notNull().default("open"),
    draft: boolean().notNull().default(false),
    mergeable: boolean(),
    ciState: ciState().notNull().default("none"),
    reviewState: text(),
    /** ETags of the last conditional sync, as JSON keyed by endpoint. */
    etags: text(),
    /** Head SHAs whose CI failure already started a follow-up (one per SHA, capped per run setting). */
    ciFixShas: text().array().notNull().default(sql`'{}'::text[]`),
    /** Checks and statuses folded for `headSha`, for the card and the follow-up prompt. */
    checks: jsonb().$type<CheckSummary[]>().notNull().default([]),
    headPushedAt: at(),
    lastSyncError: text(),
    syncedAt: at(),
    mergedAt: at(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("pull_requests_repo_number_key").on(t.repositoryId, t.number),
    index("pull_requests_task_idx").on(t.taskId),
    index("pull_requests_run_state_idx").on(t.runId, t.state),
  ],
);

export const reviewComments = pgTable(
  "review_comments",
  {
    id: uuid().primaryKey().defaultRandom(),
    pullRequestId: uuid()
      .notNull()
      .references(() => pullRequests.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    kind: commentKind().notNull(),
    /** GitHub's id for the comment or review. */
    externalId: bigint({ mode: "number" }).notNull(),
    author: text().notNull(),
    body: text().notNull(),
    path: text(),
    line: integer(),
    url: text(),
    category: commentCategory(),
    triageAction: text(),
    followUpTaskId: uuid().references(() => tasks.id, { onDelete: "set null" }),
    /** A comment Foreman posted itself (a reply): never triaged. */
    fromForeman: boolean().notNull().default(false),
    /** The thread to answer on: the review comment's own id for `review_comment`, else null (issue comment). */
    inReplyTo: bigint({ mode: "number" }),
    questionId: uuid(),
    approvalId: uuid(),
    repliedAt: at(),
    handledAt: at(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("review_comments_pr_kind_external_key").on(t.pullRequestId, t.kind, t.externalId),
    index("review_comments_task_idx").on(t.taskId),
  ],
);

/** Webhook deliveries seen, so a replayed `X-GitHub-Delivery` is ignored. */
export const githubDeliveries = pgTable(
  "github_deliveries",
  {
    id: text().primaryKey(),
    event: text().notNull(),
    action: text(),
    repository: text(),
    receivedAt: createdAt(),
  },
  (t) => [index("github_deliveries_received_idx").on(t.receivedAt)],
);
