import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Plan, ScopeReview } from "../../lib/plans/schema";
import type { RunSettings } from "../../lib/runs/settings";
import { at, createdAt, updatedAt } from "./columns";
import { runStatus } from "./enums";


export const repositories = pgTable(
  "repositories",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** A local checkout; or null when `url` is cloned into FOREMAN_DATA_DIR/repos/. */
    path: text(),
    url: text(),
    baseBranch: text().notNull().default("main"),
    /** `owner/name` on GitHub, when configured. */
    github: text(),
    /** AES-256-GCM under FOREMAN_SECRET; never returned by the API. */
    githubTokenEncrypted: text(),
    /** GitHub answered "rate limited": no sync for this repository before then. */
    githubPausedUntil: at(),
    setupScript: text(),
    /** The setup script may use the network (e.g. `npm ci`); off by default, turned on by the owner. */
    setupNetwork: boolean().notNull().default(false),
    verifyCommand: text(),
    envFiles: text().array().notNull().default(sql`'{}'::text[]`),
    /** Test files by convention (globs); null means Foreman's defaults (lib/verifications/check-files.ts). */
    testPatterns: text().array(),
    /** Further files the owner counts as checks (globs): the worker may not weaken them either. */
    checkFiles: text().array().notNull().default(sql`'{}'::text[]`),
    createdBy: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("repositories_name_key").on(t.name)],
);

export const runs = pgTable(
  "runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    repositoryId: uuid()
      .notNull()
      .references(() => repositories.id, { onDelete: "restrict" }),
    title: text().notNull(),
    scope: text().notNull(),
    status: runStatus().notNull().default("reviewing"),
    settings: jsonb().$type<RunSettings>().notNull(),
    /** The manager's Codex thread, resumed at every decision. */
    managerThreadId: text(),
    /** ScopeReview and Plan as the manager returned them (validated). */
    review: jsonb().$type<ScopeReview>(),
    plan: jsonb().$type<Plan>(),
    summary: text(),
    statusReason: text(),
    tokensInput: bigint({ mode: "number" }).notNull().default(0),
    tokensCachedInput: bigint({ mode: "number" }).notNull().default(0),
    tokensOutput: bigint({ mode: "number" }).notNull().default(0),
    nextHeartbeatAt: at(),
    createdBy: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: at(),
    finishedAt: at(),
    /** Bumped by every status write; lets clients ignore stale snapshots. */
    version: integer().notNull().default(0),
  },
  (t) => [
    index("runs_status_created_idx").on(t.status, t.createdAt),
    index("runs_repository_idx").on(t.repositoryId),
    index("runs_created_idx").on(t.createdAt),
  ],
);
