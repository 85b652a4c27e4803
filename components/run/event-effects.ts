import type { EventType } from "@/lib/events/types";

/**
 * What the run page does with each event type. A `Record` over every type:
 * a new event type fails `npm run typecheck` until it is decided here.
 * - `card`: "status" may move the task's card (compared as (attempt, rank));
 *   "activity" sets the card's live line from the event; "none" leaves cards.
 * - `snapshot`: the event changes what the snapshot holds (statuses, questions,
 *   plan, tokens): it is read again, debounced.
 * - `detail`: the task's detail (reports, diff, PR) may have changed: an open
 *   drawer reads it again. A run-wide event (no task) may touch any task.
 */
export type EventEffect = { card: "status" | "activity" | "none"; snapshot: boolean; detail: boolean };

/** A worker's check-in: shown live from the event itself; the task's detail does not change with it. */
const CHECK_IN: EventEffect = { card: "activity", snapshot: false, detail: false };
/** A fact about a task's work: its live line, and its detail may have changed. */
const TASK_FACT: EventEffect = { card: "activity", snapshot: false, detail: true };
/** A task fact that also changes what the snapshot holds. */
const TASK_CHANGE: EventEffect = { card: "activity", snapshot: true, detail: true };
/** About the run (or the manager): no card line. */
const RUN_FACT: EventEffect = { card: "none", snapshot: false, detail: true };
const RUN_CHANGE: EventEffect = { card: "none", snapshot: true, detail: true };

export const EVENT_EFFECTS: Record<EventType, EventEffect> = {
  "run.created": RUN_FACT,
  "run.status_changed": RUN_CHANGE,
  "run.picked_up": RUN_FACT,
  "run.note": RUN_FACT,
  "run.summary": RUN_CHANGE,
  "task.status_changed": { card: "status", snapshot: true, detail: true },
  "heartbeat.completed": RUN_CHANGE,
  "agent.thread_started": TASK_FACT,
  "agent.turn_started": TASK_FACT,
  "agent.command_started": CHECK_IN,
  "agent.command_finished": CHECK_IN,
  "agent.file_changed": CHECK_IN,
  "agent.todo_list": CHECK_IN,
  "agent.reasoning": CHECK_IN,
  "agent.message": CHECK_IN,
  "agent.tool_call": CHECK_IN,
  "agent.error": TASK_FACT,
  "agent.turn_completed": TASK_CHANGE,
  "agent.turn_failed": TASK_FACT,
  "agent.turn_interrupted": TASK_FACT,
  "attempt.status_changed": RUN_CHANGE,
  "task.worktree_ready": TASK_CHANGE,
  "task.setup_finished": TASK_FACT,
  "task.committed": TASK_CHANGE,
  "task.report": TASK_FACT,
  "task.out_of_scope": TASK_FACT,
  "task.escape_refused": TASK_FACT,
  "task.verification_finished": TASK_CHANGE,
  "task.follow_up": TASK_FACT,
  "task.checks_weakened": TASK_FACT,
  "task.claims_disputed": TASK_FACT,
  "task.manager_review": TASK_FACT,
  "task.held": TASK_CHANGE,
  "task.pushed": TASK_FACT,
  "task.pull_request": TASK_FACT,
  "task.ci_changed": TASK_FACT,
  "task.review_feedback": TASK_FACT,
  "task.replied": TASK_FACT,
  "task.accepted": TASK_FACT,
  "task.rejected": TASK_FACT,
  "task.merged": TASK_FACT,
  "task.merge_conflict": TASK_FACT,
  "github.rate_limited": RUN_FACT,
  "github.webhook": RUN_FACT,
  "review.completed": RUN_CHANGE,
  "question.asked": RUN_CHANGE,
  "question.answered": RUN_CHANGE,
  "plan.proposed": RUN_CHANGE,
  "plan.edited": RUN_CHANGE,
  "plan.approved": RUN_CHANGE,
  "plan.replan_requested": RUN_CHANGE,
  "manager.decision": RUN_CHANGE,
};
