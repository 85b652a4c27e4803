import type { HeartbeatDecision } from "../../db/schema/loop";
import { assertNever } from "../shared/assert-never";
import { describeModelAnswer, readable } from "../shared/humanize";
import { type EscapeAction, parseEventPayload, type RunEvent, type TurnPurpose } from "./types";

const ESCAPE_WORDS: Record<EscapeAction, string> = {
  write: "tried to write outside its worktree",
  read: "tried to read outside its worktree",
  network: "tried to reach the network",
  symlink: "planted a link for Foreman to follow",
  git: "tampered with git's metadata",
  process: "reached for processes outside its sandbox",
};

export type EventTone = "neutral" | "info" | "success" | "warning" | "danger";

/** One line of plain text per event, for logs and the live feed (rendered as text, never HTML). */
export function describeEvent(event: Pick<RunEvent, "type" | "payload">): { text: string; tone: EventTone } {
  const payload = parseEventPayload(event);
  if (!payload) return { text: event.type, tone: "neutral" };
  switch (payload.type) {
    case "run.created":
      return { text: `Run created: ${payload.title}`, tone: "info" };
    case "run.status_changed":
      return { text: `Run ${payload.from.replace("_", " ")} → ${payload.to.replace("_", " ")}${payload.reason ? `: ${readable(payload.reason)}` : ""}`, tone: "info" };
    case "run.picked_up":
      return { text: `A runner picked up ${QUEUE_TEXT[payload.queue] ?? payload.queue.replace(/[._]/g, " ")}`, tone: "neutral" };
    case "run.note":
      return { text: readable(payload.message), tone: payload.level === "error" ? "danger" : payload.level === "warning" ? "warning" : "neutral" };
    case "task.status_changed":
      return { text: `Task ${payload.from.replace("_", " ")} → ${payload.to.replace("_", " ")}${payload.reason ? `: ${readable(payload.reason)}` : ""}`, tone: "info" };
    case "manager.decision":
      return {
        text: `Manager${payload.taskKey ? ` on ${payload.taskKey}` : ""}: ${payload.text}`,
        tone: payload.outcome === "refused" ? "warning" : payload.outcome === "awaiting_approval" ? "warning" : "info",
      };
    case "heartbeat.completed":
      return { text: `Heartbeat (${payload.trigger}): ${payload.summary}`, tone: "success" };
    case "agent.thread_started":
      return { text: `${payload.resumed ? "Resumed" : "Started"} a Codex thread`, tone: "neutral" };
    case "agent.turn_started":
      return { text: `Turn ${payload.turn} started (${TURN_PURPOSE_TEXT[payload.purpose]})`, tone: "neutral" };
    case "agent.command_started":
      return { text: `$ ${oneLine(payload.command)}`, tone: "neutral" };
    case "agent.command_finished":
      return {
        text: `$ ${oneLine(payload.command)} → ${payload.exitCode === null ? payload.status : `exit ${payload.exitCode}`}`,
        tone: payload.exitCode === 0 ? "neutral" : "warning",
      };
    case "agent.file_changed":
      return {
        text: `${payload.status === "completed" ? "Edited" : "Failed to edit"} ${payload.changes.map((change) => `${change.kind} ${change.path}`).join(", ")}`,
        tone: payload.status === "completed" ? "neutral" : "warning",
      };
    case "agent.todo_list": {
      const done = payload.items.filter((item) => item.completed).length;
      return { text: `Plan: ${done}/${payload.items.length} done${payload.items.length ? ` · ${payload.items.map((item) => item.text).join(" · ")}` : ""}`, tone: "neutral" };
    }
    case "agent.reasoning":
      return { text: `Thinking: ${oneLine(payload.text)}`, tone: "neutral" };
    case "agent.message":
      // Attempt 0 is the run's manager thread (worker attempts count from 1).
      return { text: `${payload.attempt === 0 ? "Manager" : "Worker"}: ${oneLine(describeModelAnswer(payload.text))}`, tone: "info" };
    case "agent.tool_call":
      return { text: `Tool ${payload.tool}: ${payload.status}`, tone: "neutral" };
    case "agent.error":
      return { text: `Codex: ${oneLine(readable(payload.message), 400)}`, tone: payload.fatal ? "danger" : "warning" };
    case "agent.turn_completed":
      return {
        text: `Turn ${payload.turn} finished: ${payload.usage.input} input (${payload.usage.cachedInput} cached), ${payload.usage.output} output tokens`,
        tone: "neutral",
      };
    case "agent.turn_failed":
      return { text: `Turn ${payload.turn} failed: ${oneLine(readable(payload.message), 400)}`, tone: "danger" };
    case "agent.turn_interrupted":
      return { text: `Turn ${payload.turn} interrupted (${payload.reason}): ${oneLine(readable(payload.message), 400)}`, tone: "warning" };
    case "attempt.status_changed":
      return {
        text: `Attempt ${payload.attempt} ${payload.from} → ${payload.to}${payload.reason ? `: ${readable(payload.reason)}` : ""}`,
        tone: payload.to === "failed" || payload.to === "interrupted" ? "warning" : "neutral",
      };
    case "task.worktree_ready":
      return {
        text: `Worktree ${payload.reused ? "reused" : "ready"} on ${payload.branch} from ${payload.baseBranch}${payload.merged.length ? `, merged ${payload.merged.join(", ")}` : ""}`,
        tone: "neutral",
      };
    case "task.setup_finished":
      return {
        text: `Setup script ${payload.timedOut ? "timed out" : `exited ${payload.exitCode}`} after ${Math.round(payload.durationMs / 100) / 10} s`,
        tone: payload.exitCode === 0 ? "neutral" : "danger",
      };
    case "task.committed":
      return { text: `Committed ${payload.sha.slice(0, 10)}: ${payload.files} file(s), +${payload.insertions} −${payload.deletions}`, tone: "neutral" };
    case "task.report":
      return payload.valid
        ? { text: `Report: ${payload.status}${payload.summary ? ` — ${oneLine(payload.summary)}` : ""}`, tone: "info" }
        : { text: `Invalid report: ${payload.error ?? "unreadable"}`, tone: "warning" };
    case "task.out_of_scope":
      return { text: `Changed outside its scope: ${payload.files.join(", ")}`, tone: "warning" };
    case "task.escape_refused":
      return { text: `Refused: ${ESCAPE_WORDS[payload.action]} (${oneLine(payload.target)}). ${oneLine(payload.detail)}`, tone: "danger" };
    case "task.verification_finished":
      return { text: `Verification ${payload.passed ? "passed" : "failed"}: ${payload.summary}`, tone: payload.passed ? "success" : "danger" };
    case "task.checks_weakened":
      return { text: `Checks weakened: ${payload.findings.map((finding) => `${finding.file}${finding.line ? `:${finding.line}` : ""} ${finding.text}`).join("; ")}`, tone: "danger" };
    case "task.claims_disputed":
      return { text: `The worker's claims are disputed: ${payload.disagreements.map((entry) => entry.text).join(" ")}`, tone: "warning" };
    case "task.manager_review":
      return {
        text: payload.verdict ? `Manager review: ${payload.verdict} — ${oneLine(payload.summary)}` : `Manager review failed: ${oneLine(payload.summary)}`,
        tone: payload.verdict === "approve" ? "info" : "warning",
      };
    case "task.follow_up":
      return { text: `Follow-up ${payload.number} of ${payload.cap}: ${oneLine(payload.reason)}`, tone: "warning" };
    case "review.completed":
      return {
        text: `Scope review: ${payload.verdict === "clear" ? "clear" : `${payload.questions} question(s) for you`}${payload.highRisks ? `, ${payload.highRisks} high risk(s)` : ""}${payload.tooBroad ? ", too broad" : ""}`,
        tone: payload.verdict === "clear" ? "info" : "warning",
      };
    case "question.asked":
      return { text: `Question: ${oneLine(payload.text)}`, tone: "warning" };
    case "question.answered":
      return { text: "Question answered", tone: "neutral" };
    case "plan.proposed":
      return { text: `Plan proposed: ${payload.tasks} task(s)${payload.problems.length ? `; problems: ${payload.problems.join(" ")}` : ""}`, tone: payload.problems.length ? "warning" : "info" };
    case "plan.edited":
      return { text: `Plan edited: ${payload.tasks} task(s)`, tone: "neutral" };
    case "plan.approved":
      return { text: "Plan approved", tone: "success" };
    case "plan.replan_requested":
      return { text: `New plan requested: ${oneLine(payload.comment)}`, tone: "neutral" };
    case "task.held":
      return { text: `${payload.key} ${payload.reason}`, tone: "neutral" };
    case "run.summary":
      return { text: `Summary: ${oneLine(payload.summary)}`, tone: "success" };
    case "task.pushed":
      return { text: `Pushed ${payload.branch} at ${payload.sha.slice(0, 8)}`, tone: "info" };
    case "task.pull_request":
      return {
        text: `PR #${payload.number} ${payload.change === "opened" ? `opened${payload.draft ? " as a draft" : ""}` : payload.state}: CI ${payload.ciState}${payload.reviewState ? `, review ${payload.reviewState.toLowerCase().replace("_", " ")}` : ""}`,
        tone: payload.state === "merged" ? "success" : payload.state === "closed" ? "warning" : "info",
      };
    case "task.ci_changed":
      return {
        text: `CI on PR #${payload.number} (${payload.headSha.slice(0, 8)}): ${payload.from} → ${payload.to}${payload.failing.length ? `; failing: ${payload.failing.map((check) => check.name).join(", ")}` : ""}`,
        tone: payload.to === "success" ? "success" : payload.to === "failure" ? "danger" : "neutral",
      };
    case "task.review_feedback":
      return {
        text: `Review comment by ${payload.author} on PR #${payload.number} (${payload.category.replace("_", " ")} → ${REVIEW_ACTION_TEXT[payload.action]}): ${oneLine(payload.excerpt)}`,
        tone: payload.action === "none" ? "neutral" : "info",
      };
    case "task.replied":
      return { text: `Replied on PR #${payload.number}: ${oneLine(payload.excerpt)}`, tone: "neutral" };
    case "task.accepted":
      return { text: `Accepted${byWhom(payload)}`, tone: "success" };
    case "task.rejected":
      return { text: `Rejected${byWhom(payload)}: ${oneLine(payload.reason)}`, tone: "warning" };
    case "task.merged":
      return {
        text: `Merged into ${payload.into} at ${payload.sha.slice(0, 8)}${payload.number !== null ? ` (PR #${payload.number})` : payload.fastForward ? " (fast-forward)" : " (merge commit)"}`,
        tone: "success",
      };
    case "task.merge_conflict":
      return { text: `Merging into ${payload.into} conflicts in ${payload.files.join(", ") || "unknown files"}`, tone: "danger" };
    case "github.rate_limited":
      return { text: `GitHub rate limit reached for ${payload.repository}: sync paused until ${payload.until}`, tone: "warning" };
    case "github.webhook":
      return { text: `GitHub webhook ${payload.event}${payload.action ? `.${payload.action}` : ""}`, tone: "neutral" };
    default:
      return assertNever(payload, "event payload");
  }
}

const TURN_PURPOSE_TEXT: Record<TurnPurpose, string> = {
  work: "the task",
  follow_up: "fixing failed verification",
  report_retry: "asking again for a valid report",
  resume: "resuming after an interruption",
  ci_fix: "fixing a failing CI check",
  review_feedback: "addressing review comments",
  conflict: "resolving a merge conflict",
  rejected: "reworking after a human's rejection",
  manager: "the manager's follow-up",
};

const QUEUE_TEXT: Record<string, string> = {
  "run.review": "the scope review",
  "run.plan": "the planning",
  "run.finish": "the run summary",
  "run.heartbeat": "a heartbeat",
  "run.schedule": "the scheduling",
};

const REVIEW_ACTION_TEXT = {
  follow_up: "follow-up on the same branch",
  approval: "waits for a human's approval",
  question: "asked you",
  none: "no action",
} as const;

/** First line, shortened: the feed shows one line per event. */
function oneLine(value: string, max = 200): string {
  const line = value.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const DECISION_OUTCOME_TEXT: Record<NonNullable<HeartbeatDecision["outcome"]>, string> = {
  applied: "done",
  awaiting_approval: "waits for a human's approval",
  refused: "refused by Foreman",
  noted: "noted",
};

/** One line of a heartbeat's timeline: what was decided about which task, what became of it, and why. */
export function describeHeartbeatDecision(decision: HeartbeatDecision, taskKey: string | null): string {
  const words = decision.action.replace(/^manager_/, "").replace(/_/g, " ");
  const what = decision.action.startsWith("manager_") ? `Manager: ${words}` : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
  const outcome = decision.outcome ? ` (${DECISION_OUTCOME_TEXT[decision.outcome]})` : "";
  const key = taskKey ?? decision.taskKey ?? null;
  return `${what}${key ? ` ${key}` : ""}${outcome}: ${decision.reason}`;
}

/** " by <name>" for an event a person caused; events from before names were kept stored an email (shown) or an id (never shown). */
function byWhom(payload: { by: string | null; byName: string | null }): string {
  const name = payload.byName ?? (payload.by?.includes("@") ? payload.by : null);
  return name ? ` by ${name}` : "";
}
