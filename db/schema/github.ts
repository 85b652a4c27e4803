import { bigint, boolean, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt } from "./columns";
import { ciState, commentCategory, commentKind, pullRequestState } from "./enums";
import { repositories, runs } from "./runs";
import { tasks } from "./tasks";

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
    /** ETag of the last conditional sync, per endpoint. */
    etags: text(),
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
    handledAt: at(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("review_comments_pr_kind_external_key").on(t.pullRequestId, t.kind, t.externalId),
    index("review_comments_task_idx").on(t.taskId),
  ],
);
