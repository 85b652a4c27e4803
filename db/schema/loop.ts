import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { ApprovalPayload } from "../../lib/approvals/payload";
import type { Disagreement } from "../../lib/reports/compare-report";
import type { WeakeningFinding } from "../../lib/verifications/detect-weakening";
import { at, createdAt } from "./columns";
import {
  approvalKind,
  approvalStatus,
  heartbeatStatus,
  heartbeatTrigger,
  questionSource,
  questionStatus,
  verificationStatus,
} from "./enums";
import { runs } from "./runs";
import { attempts, tasks } from "./tasks";

export const questions = pgTable(
  "questions",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid().references(() => tasks.id, { onDelete: "cascade" }),
    source: questionSource().notNull(),
    /** The id the manager gave the question, if any. */
    externalId: text(),
    text: text().notNull(),
    why: text(),
    status: questionStatus().notNull().default("open"),
    answer: text(),
    answeredBy: text(),
    answeredAt: at(),
    createdAt: createdAt(),
  },
  (t) => [index("questions_run_status_idx").on(t.runId, t.status)],
);

export const approvals = pgTable(
  "approvals",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid().references(() => tasks.id, { onDelete: "cascade" }),
    kind: approvalKind().notNull(),
    status: approvalStatus().notNull().default("pending"),
    /** Why Foreman stopped here, in words for the human. */
    reason: text().notNull(),
    payload: jsonb().$type<ApprovalPayload>(),
    decidedBy: text(),
    decidedAt: at(),
    decisionNote: text(),
    createdAt: createdAt(),
  },
  (t) => [index("approvals_run_status_idx").on(t.runId, t.status)],
);

export type HeartbeatObservations = Record<string, unknown>;
/** One decision of a heartbeat; a manager's decision also says what Foreman did with it and which task it judged. */
export type HeartbeatDecision = {
  action: string;
  taskId?: string | null;
  reason: string;
  outcome?: "applied" | "awaiting_approval" | "refused" | "noted";
  taskKey?: string | null;
};

export const heartbeats = pgTable(
  "heartbeats",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    trigger: heartbeatTrigger().notNull(),
    status: heartbeatStatus().notNull().default("running"),
    runnerId: text(),
    /** What the heartbeat saw. */
    observations: jsonb().$type<HeartbeatObservations>().notNull().default({}),
    /** What it decided, one entry per action. */
    decisions: jsonb().$type<HeartbeatDecision[]>().notNull().default([]),
    error: text(),
    startedAt: createdAt(),
    finishedAt: at(),
  },
  (t) => [index("heartbeats_run_started_idx").on(t.runId, t.startedAt)],
);

/** Structured reports: a worker's WorkerReport, a manager review, the run summary. */
export const reports = pgTable(
  "reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid().references(() => tasks.id, { onDelete: "cascade" }),
    attemptId: uuid().references(() => attempts.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    /** Parsed and validated output, or null when the model's answer was invalid. */
    payload: jsonb(),
    /** The model's raw text, kept when it failed validation. */
    raw: text(),
    valid: boolean().notNull().default(true),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [index("reports_task_idx").on(t.taskId, t.createdAt), index("reports_run_idx").on(t.runId)],
);

export type VerificationCommandResult = {
  command: string;
  source: "task" | "repository";
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  outputTail: string;
};

export const verifications = pgTable(
  "verifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid()
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    attemptId: uuid().references(() => attempts.id, { onDelete: "cascade" }),
    status: verificationStatus().notNull().default("running"),
    changedFiles: text().array().notNull().default(sql`'{}'::text[]`),
    outOfScope: text().array().notNull().default(sql`'{}'::text[]`),
    commands: jsonb().$type<VerificationCommandResult[]>().notNull().default([]),
    headSha: text(),
    summary: text(),
    startedAt: createdAt(),
    finishedAt: at(),
    attemptNumber: integer(),
    /** The checks that existed at the task's start (tests by convention, listed files, what the commands run). */
    checkFiles: text().array().notNull().default(sql`'{}'::text[]`),
    /**
     * The same commands run again with the check files restored to their start
     * version; null when the worker changed no check (the branch's pass is that pass).
     */
    startChecks: jsonb().$type<VerificationCommandResult[]>(),
    /** Weakened checks in the task's diff: named, never verified. */
    weakening: jsonb().$type<WeakeningFinding[]>().notNull().default([]),
    /** The worker's claims that Foreman's record contradicts. */
    disputes: jsonb().$type<Disagreement[]>().notNull().default([]),
  },
  (t) => [index("verifications_task_idx").on(t.taskId, t.startedAt)],
);
