import { z } from "zod";
import { ATTEMPT_STATUSES } from "../attempts/status";
import { HEARTBEAT_TRIGGERS } from "../heartbeats/status";
import { RUN_STATUSES } from "../runs/status";
import { TASK_STATUSES } from "../tasks/status";
import { WEAKENING_KINDS } from "../verifications/detect-weakening";
import { handoffEvents } from "./handoff-events";
import { managerEvents } from "./manager-events";

/**
 * Every run event, as stored in `run_events.payload` and sent over socket.io.
 * One union types the database rows, the socket messages and the reducers.
 * Payloads carry ids and small patches; clients re-fetch for whole objects.
 */
const text = (max = 4000) => z.string().max(max);
const count = () => z.number().int().min(0);

/** Output tails and agent messages are capped at this many characters (untrusted, DESIGN.md §9). */
export const OUTPUT_TAIL_MAX = 8192;

const tokenUsage = z.object({ input: count(), cachedInput: count(), output: count(), reasoningOutput: count() });
export type TokenUsage = z.infer<typeof tokenUsage>;

/** What a worker tried beyond its sandbox: write or read outside its worktree, reach the network, plant a link, touch git's metadata, see other processes. */
export const ESCAPE_ACTIONS = ["write", "read", "network", "symlink", "git", "process"] as const;
export type EscapeAction = (typeof ESCAPE_ACTIONS)[number];

/** Why the runner ended a turn before the agent did. */
export const INTERRUPT_REASONS = ["deadline", "paused", "runner_stopping", "cancelled", "stalled"] as const;
export type InterruptReason = (typeof INTERRUPT_REASONS)[number];

/** What a turn was for: the first prompt, a fix after failed verification, a second ask for the report, a resume. */
export const TURN_PURPOSES = ["work", "follow_up", "report_retry", "resume", "ci_fix", "review_feedback", "conflict", "rejected", "manager"] as const;
export type TurnPurpose = (typeof TURN_PURPOSES)[number];

/**
 * `agent.*`: one row per Codex SDK event of a worker's thread, written the
 * moment it arrives (the worker check-ins of DESIGN.md §4.5). `attempt` is the
 * attempt number; `turn` counts turns within the attempt from 1.
 */
const agentEvents = [
  z.object({ type: z.literal("agent.thread_started"), attempt: count(), threadId: text(200), resumed: z.boolean() }),
  z.object({ type: z.literal("agent.turn_started"), attempt: count(), turn: count(), purpose: z.enum(TURN_PURPOSES) }),
  z.object({ type: z.literal("agent.command_started"), attempt: count(), itemId: text(200), command: text(2000) }),
  z.object({
    type: z.literal("agent.command_finished"),
    attempt: count(),
    itemId: text(200),
    command: text(2000),
    exitCode: z.number().int().nullable(),
    status: text(40),
    outputTail: text(OUTPUT_TAIL_MAX),
  }),
  z.object({
    type: z.literal("agent.file_changed"),
    attempt: count(),
    itemId: text(200),
    status: text(40),
    changes: z.array(z.object({ path: text(1000), kind: z.enum(["add", "delete", "update"]) })).max(200),
  }),
  z.object({
    type: z.literal("agent.todo_list"),
    attempt: count(),
    items: z.array(z.object({ text: text(500), completed: z.boolean() })).max(100),
  }),
  z.object({ type: z.literal("agent.reasoning"), attempt: count(), text: text() }),
  z.object({ type: z.literal("agent.message"), attempt: count(), text: text(OUTPUT_TAIL_MAX) }),
  z.object({ type: z.literal("agent.tool_call"), attempt: count(), tool: text(200), status: text(40) }),
  z.object({ type: z.literal("agent.error"), attempt: count(), message: text(), fatal: z.boolean() }),
  z.object({
    type: z.literal("agent.turn_completed"),
    attempt: count(),
    turn: count(),
    threadId: text(200),
    /** This turn's tokens: the difference of the thread's cumulative usage. */
    usage: tokenUsage,
    cumulative: tokenUsage,
  }),
  z.object({ type: z.literal("agent.turn_failed"), attempt: count(), turn: count(), message: text() }),
  z.object({
    type: z.literal("agent.turn_interrupted"),
    attempt: count(),
    turn: count(),
    reason: z.enum(INTERRUPT_REASONS),
    message: text(),
  }),
] as const;

/** `task.*` facts the runner establishes itself: git, verification, reports. */
const runnerTaskEvents = [
  z.object({
    type: z.literal("attempt.status_changed"),
    attempt: count(),
    from: z.enum(ATTEMPT_STATUSES),
    to: z.enum(ATTEMPT_STATUSES),
    reason: text().nullable(),
  }),
  z.object({
    type: z.literal("task.worktree_ready"),
    branch: text(300),
    baseBranch: text(300),
    /** The commit the task's own work starts from (base plus merged dependencies). */
    startSha: text(64),
    merged: z.array(text(300)).max(50),
    reused: z.boolean(),
  }),
  z.object({
    type: z.literal("task.setup_finished"),
    exitCode: z.number().int().nullable(),
    timedOut: z.boolean(),
    durationMs: count(),
    outputTail: text(OUTPUT_TAIL_MAX),
    /** Untracked paths the script left: kept out of the agent's commits and changed files. */
    artifacts: z.array(text(1000)).max(200),
  }),
  z.object({
    type: z.literal("task.committed"),
    attempt: count(),
    turn: count(),
    sha: text(64),
    files: count(),
    insertions: count(),
    deletions: count(),
    stat: text(OUTPUT_TAIL_MAX),
  }),
  z.object({
    type: z.literal("task.report"),
    attempt: count(),
    valid: z.boolean(),
    status: z.enum(["done", "blocked", "needs_review"]).nullable(),
    summary: text().nullable(),
    error: text().nullable(),
  }),
  z.object({ type: z.literal("task.out_of_scope"), files: z.array(text(1000)).max(200), scope: z.array(text(1000)).max(200) }),
  /** Something the worker tried beyond its sandbox, refused by Foreman's containment or by the runner (DESIGN.md §9). */
  z.object({
    type: z.literal("task.escape_refused"),
    attempt: count(),
    action: z.enum(ESCAPE_ACTIONS),
    target: text(1000),
    detail: text(2000),
  }),
  z.object({
    type: z.literal("task.verification_finished"),
    attempt: count(),
    verificationId: z.uuid(),
    passed: z.boolean(),
    summary: text(),
    commands: z
      .array(z.object({ command: text(2000), source: z.enum(["task", "repository"]), exitCode: z.number().int().nullable(), timedOut: z.boolean() }))
      .max(50),
    /** The same commands with the checks in their start version: null when the worker changed no check. */
    startChecksPassed: z.boolean().nullable().optional(),
  }),
  z.object({ type: z.literal("task.follow_up"), attempt: count(), number: count(), cap: count(), reason: text() }),
  /** Checks the worker deleted, skipped, emptied or loosened (lib/verifications/detect-weakening.ts). */
  z.object({
    type: z.literal("task.checks_weakened"),
    attempt: count(),
    verificationId: z.uuid(),
    findings: z
      .array(z.object({ file: text(1000), kind: z.enum(WEAKENING_KINDS), line: z.number().int().nullable(), text: text(1000) }))
      .max(100),
  }),
  /** The worker's report against Foreman's record: where they disagree (lib/reports/compare-report.ts). */
  z.object({
    type: z.literal("task.claims_disputed"),
    attempt: count(),
    verificationId: z.uuid(),
    disagreements: z.array(z.object({ subject: z.enum(["status", "command", "file"]), text: text(2000) })).max(50),
  }),
  /** The manager's review of a docs or research task, stored before it waits for a human. */
  z.object({
    type: z.literal("task.manager_review"),
    attempt: count(),
    verdict: z.enum(["approve", "revise"]).nullable(),
    summary: text(),
    unsupportedClaims: count(),
    editorialIssues: count(),
  }),
] as const;

export const eventPayloads = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run.created"), title: text(300), createdBy: z.string().nullable() }),
  z.object({
    type: z.literal("run.status_changed"),
    from: z.enum(RUN_STATUSES),
    to: z.enum(RUN_STATUSES),
    reason: text().nullable(),
  }),
  z.object({ type: z.literal("run.picked_up"), queue: text(100), runnerId: text(200) }),
  z.object({ type: z.literal("run.note"), level: z.enum(["info", "warning", "error"]), message: text() }),
  z.object({
    type: z.literal("task.status_changed"),
    from: z.enum(TASK_STATUSES),
    to: z.enum(TASK_STATUSES),
    reason: text().nullable(),
    /** The task's attempt number after the move: a follow-up's move back to running carries a higher one. Absent on older rows. */
    attempt: count().optional(),
  }),
  z.object({
    type: z.literal("heartbeat.completed"),
    heartbeatId: z.uuid(),
    trigger: z.enum(HEARTBEAT_TRIGGERS),
    summary: text(),
    decisions: z.number().int().min(0),
  }),
  ...agentEvents,
  ...runnerTaskEvents,
  ...managerEvents,
  ...handoffEvents,
]);

export type EventPayload = z.infer<typeof eventPayloads>;
export type EventType = EventPayload["type"];
export type PayloadOf<T extends EventType> = Extract<EventPayload, { type: T }>;

/** An event as the browser receives it (DESIGN.md §8). */
export const runEventSchema = z.object({
  seq: z.number().int().positive(),
  runId: z.uuid(),
  taskId: z.uuid().nullable(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

/** Narrows a received event; unknown or malformed ones are shown generically. */
export function parseEventPayload(event: Pick<RunEvent, "type" | "payload">): EventPayload | null {
  const parsed = eventPayloads.safeParse({ ...event.payload, type: event.type });
  return parsed.success ? parsed.data : null;
}

/** Subscribe message a client sends over socket.io. */
export const subscribeMessage = z.object({
  runId: z.uuid(),
  after: z.number().int().min(0).default(0),
  /** Replay at most the run's latest this many events after `after` (a page opening a long run); the rest stay readable at /events?after=. */
  latest: z.number().int().min(1).max(5000).optional(),
});

export const NOTIFY_CHANNEL = "foreman_events";
export const notifyPayload = z.object({ runId: z.uuid(), seq: z.number().int().positive() });
