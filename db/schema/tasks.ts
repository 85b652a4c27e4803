import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt, updatedAt } from "./columns";
import { attemptStatus, taskKind, taskStatus } from "./enums";
import { runs } from "./runs";

export type TaskVerificationSpec = { commands: string[]; manual: string | null };

export const tasks = pgTable(
  "tasks",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** T1, T2… unique within a run. */
    key: text().notNull(),
    title: text().notNull(),
    kind: taskKind().notNull().default("code"),
    goal: text().notNull(),
    /** Declared file scope, as globs. */
    scope: text().array().notNull().default(sql`'{}'::text[]`),
    definitionOfDone: text().array().notNull().default(sql`'{}'::text[]`),
    verification: jsonb().$type<TaskVerificationSpec>().notNull().default({ commands: [], manual: null }),
    dependsOn: text().array().notNull().default(sql`'{}'::text[]`),
    status: taskStatus().notNull().default("waiting"),
    /** Why a waiting or blocked task is held ("waits for T2", "overlaps src/** with T3"). */
    holdReason: text(),
    parentTaskId: uuid().references((): AnyPgColumn => tasks.id, { onDelete: "set null" }),
    /** The attempt currently allowed to write (fencing). */
    currentAttempt: integer().notNull().default(0),
    followUps: integer().notNull().default(0),
    /** Follow-ups the manager started at heartbeats (capped by the run's managerFollowUpCap). */
    managerFollowUps: integer().notNull().default(0),
    /** When the manager last judged this task at a heartbeat; judged again only once its status changed since. */
    managerJudgedAt: at(),
    /** Times the model went silent and the attempt was replaced (capped by the run's stallReplacementCap). */
    stalls: integer().notNull().default(0),
    /** The effort caps count attempts from this number on: a human's retry gives the task a fresh budget. */
    budgetFromAttempt: integer().notNull().default(1),
    /** Where the worker's latest report disagrees with Foreman's record (lib/reports/compare-report.ts). */
    disputedClaims: text().array().notNull().default(sql`'{}'::text[]`),
    branch: text(),
    /** Files changed on the branch, recomputed from git by the runner. */
    changedFiles: text().array().notNull().default(sql`'{}'::text[]`),
    position: integer().notNull().default(0),
    tokensInput: bigint({ mode: "number" }).notNull().default(0),
    tokensOutput: bigint({ mode: "number" }).notNull().default(0),
    statusChangedAt: at().notNull().defaultNow(),
    lastActivityAt: at(),
    lastActivity: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("tasks_run_key_key").on(t.runId, t.key),
    index("tasks_run_status_idx").on(t.runId, t.status),
    index("tasks_parent_idx").on(t.parentTaskId),
  ],
);

export const attempts = pgTable(
  "attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** 1, 2, … per task; runner writes check it (fencing). */
    number: integer().notNull(),
    status: attemptStatus().notNull().default("starting"),
    threadId: text(),
    runnerId: text(),
    worktreePath: text(),
    branch: text(),
    /** The codex child's pid and process group, to kill orphans after a crash. */
    pid: integer(),
    pgid: integer(),
    tokensInput: bigint({ mode: "number" }).notNull().default(0),
    tokensCachedInput: bigint({ mode: "number" }).notNull().default(0),
    tokensOutput: bigint({ mode: "number" }).notNull().default(0),
    exitReason: text(),
    startedAt: createdAt(),
    lastActivityAt: at().notNull().defaultNow(),
    endedAt: at(),
  },
  (t) => [
    uniqueIndex("attempts_task_number_key").on(t.taskId, t.number),
    index("attempts_run_idx").on(t.runId),
    index("attempts_status_activity_idx").on(t.status, t.lastActivityAt),
    index("attempts_runner_idx").on(t.runnerId, t.status),
  ],
);
