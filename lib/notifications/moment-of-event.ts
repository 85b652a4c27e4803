import type { EventPayload } from "../events/types";
import { BUDGET_PAUSE_REASON } from "../runs/status";
import { assertNever } from "../shared/assert-never";
import type { Moment } from "./status";

/**
 * Which events are moments a person hears about, read off the one event pipe
 * (lib/events/append-event.ts on the server, the socket on an open board), so
 * no code path has to remember to notify.
 */
export type MomentCandidate = {
  moment: Moment;
  /** What happened, in words, without the run's name. */
  text: string;
  /**
   * Events that make one message: `event` each its own; `transaction` the
   * questions of one review (or one heartbeat) asked together; `review` one
   * message per blocked task per heartbeat review.
   */
  group: { by: "event" } | { by: "transaction" } | { by: "review"; heartbeatId: string };
  /** A moment only while the event's task is still blocked (the manager started nothing for it). */
  whileTaskBlocked: boolean;
};

const candidate = (moment: Moment, text: string, group: MomentCandidate["group"] = { by: "event" }, whileTaskBlocked = false): MomentCandidate => ({
  moment,
  text,
  group,
  whileTaskBlocked,
});

export function momentOfEvent(payload: EventPayload): MomentCandidate | null {
  switch (payload.type) {
    case "question.asked":
      return candidate("needs_input", payload.text, { by: "transaction" });
    case "run.status_changed":
      switch (payload.to) {
        case "awaiting_approval":
          return candidate("approval", "the plan is ready for a decision.");
        case "paused":
          return payload.reason?.startsWith(BUDGET_PAUSE_REASON) ? candidate("budget", payload.reason) : null;
        case "completed":
          return candidate("completed", payload.reason ?? "every task is done.");
        case "failed":
          return candidate("failed", payload.reason ?? "no reason was recorded.");
        default:
          return null;
      }
    case "manager.decision": {
      const outcome = payload.outcome;
      switch (outcome) {
        case "awaiting_approval":
          return candidate("approval", payload.text);
        // Judged once per status change: a task the manager's review leaves blocked waits for a human.
        case "refused":
        case "noted":
          return payload.taskKey ? candidate("blocked", payload.text, { by: "review", heartbeatId: payload.heartbeatId }, true) : null;
        case "applied":
          return null;
        default:
          return assertNever(outcome, "decision outcome");
      }
    }
    case "task.review_feedback": {
      const action = payload.action;
      switch (action) {
        case "approval":
          return candidate("approval", `a reviewer asks for a design change on PR #${payload.number}: ${payload.excerpt}`);
        case "question":
          return candidate("needs_input", `a review comment on PR #${payload.number} needs your answer: ${payload.excerpt}`, { by: "transaction" });
        case "follow_up":
        case "none":
          return null;
        default:
          return assertNever(action, "feedback action");
      }
    }
    case "run.created":
    case "run.picked_up":
    case "run.note":
    case "run.summary":
    case "task.status_changed":
    case "heartbeat.completed":
    case "review.completed":
    case "question.answered":
    case "plan.proposed":
    case "plan.edited":
    case "plan.approved":
    case "plan.replan_requested":
    case "task.held":
    case "agent.thread_started":
    case "agent.turn_started":
    case "agent.command_started":
    case "agent.command_finished":
    case "agent.file_changed":
    case "agent.todo_list":
    case "agent.reasoning":
    case "agent.message":
    case "agent.tool_call":
    case "agent.error":
    case "agent.turn_completed":
    case "agent.turn_failed":
    case "agent.turn_interrupted":
    case "attempt.status_changed":
    case "task.worktree_ready":
    case "task.setup_finished":
    case "task.committed":
    case "task.report":
    case "task.out_of_scope":
    case "task.escape_refused":
    case "task.verification_finished":
    case "task.follow_up":
    case "task.checks_weakened":
    case "task.claims_disputed":
    case "task.manager_review":
    case "task.pushed":
    case "task.pull_request":
    case "task.ci_changed":
    case "task.replied":
    case "task.accepted":
    case "task.rejected":
    case "task.merged":
    case "task.merge_conflict":
    case "github.rate_limited":
    case "github.webhook":
      return null;
    default:
      return assertNever(payload, "event");
  }
}

/** The message's sentence: the run by its title, the task by its key. */
export function describeMoment(input: { moment: Moment | "test"; runTitle: string | null; taskKey: string | null; text: string; merged: number }): string {
  const run = input.runTitle ? `“${input.runTitle}”` : "A run";
  const more = input.merged > 1 ? ` (and ${input.merged - 1} more)` : "";
  switch (input.moment) {
    case "needs_input":
      return `${run} needs your answer: ${input.text}${more}`;
    case "approval":
      return `${run} waits for your approval: ${input.text}`;
    case "blocked":
      return `${input.taskKey ?? "A task"} of ${run} is blocked and needs a human: ${input.text}`;
    case "budget":
      return `${run} paused: ${input.text}`;
    case "completed":
      return `${run} completed: ${input.text}`;
    case "failed":
      return `${run} failed: ${input.text}`;
    case "test":
      return input.text;
    default:
      return assertNever(input.moment, "moment");
  }
}
