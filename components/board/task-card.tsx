"use client";

import { memo, useLayoutEffect, useRef } from "react";
import { useCardActivity } from "@/components/run/live-stores";
import type { ClientTask } from "@/components/run/snapshot";
import { assertNever } from "@/lib/shared/assert-never";
import { relativeTime } from "@/lib/shared/relative-time";
import { isStruckThrough, type TaskStatus } from "@/lib/tasks/status";
import { pullRequestLine, pullRequestTone, VERIFICATION_LABEL, verificationTone } from "./handoff-labels";
import { readable } from "@/lib/shared/humanize";

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = {
  waiting: "waiting",
  ready: "ready",
  running: "running",
  verifying: "verifying",
  needs_review: "needs review",
  blocked: "blocked",
  done: "done",
  failed: "failed",
  cancelled: "cancelled",
};

export function taskStatusTone(status: TaskStatus): string {
  switch (status) {
    case "waiting":
    case "ready":
      return "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";
    case "running":
    case "verifying":
      return "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300";
    case "needs_review":
      return "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300";
    case "blocked":
    case "failed":
      return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
    case "done":
      return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
    case "cancelled":
      return "bg-zinc-200 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400";
    default:
      return assertNever(status, "task status");
  }
}

/** Why the card waits, shown only where the runner says it is held. */
function showsHold(status: TaskStatus): boolean {
  return status === "waiting" || status === "blocked";
}

export function formatTokens(input: number, output: number): string | null {
  if (input + output === 0) return null;
  const short = (n: number) => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));
  return `${short(input)} in · ${short(output)} out`;
}

export function formatCost(usd: number | null | undefined): string | null {
  return typeof usd === "number" && usd > 0 ? `$${usd.toFixed(usd < 1 ? 3 : 2)}` : null;
}

/**
 * One task on the board; a button that opens its drawer. Lines that change
 * while the task works (last activity, age, tokens) have fixed heights, so
 * streaming events never move the cards below. Memoized: a status move patches
 * one task object, and only that card renders again; a live line comes from
 * the card's own store entry (components/run/live-stores.ts).
 */
export const TaskCard = memo(function TaskCard({
  task,
  now,
  onOpen,
  hadFocus,
}: {
  task: ClientTask;
  now: Date;
  onOpen: (taskId: string) => void;
  hadFocus: (taskId: string) => boolean;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    // Mounted in a new column while its old element held focus: take the focus back.
    const active = document.activeElement;
    if (hadFocus(task.id) && (active === null || active === document.body)) button.current?.focus();
    // Only on mount: a move between columns mounts a new card.
  }, []);
  // The live line comes from the card's own store entry: an agent event renders this card and nothing else.
  const activity = useCardActivity(task.id, { text: task.lastActivity, at: task.lastActivityAt });
  const struck = isStruckThrough(task.status);
  const tokens = formatTokens(task.tokensInput, task.tokensOutput);
  const cost = formatCost(task.estimatedCostUsd);
  const verification = task.latestVerification;
  const pullRequest = task.pullRequest;
  // Keys are unique within a run and far shorter than ids: six references per card, 200 cards.
  const ids = `card-${task.key}`;
  const held = showsHold(task.status) && task.holdReason;
  const disputed = task.disputedClaims;
  const hasBadges = Boolean(verification || pullRequest || disputed.length > 0);
  // The button's name is key and title (its visible text); status, badges and why it waits describe it.
  const describedBy = [`${ids}-status`, hasBadges ? `${ids}-badges` : null, held ? `${ids}-hold` : null].filter(Boolean).join(" ");
  return (
    <li data-testid="task-card" data-key={task.key} data-status={task.status} data-task-id={task.id} className="card">
      <div className="card-body">
        <div className="card-head">
          <span className="font-mono font-semibold" id={`${ids}-key`}>
            {task.key}
          </span>
          <span className="card-chip card-kind">{task.kind}</span>
          <span className={`card-chip ${taskStatusTone(task.status)}`} id={`${ids}-status`}>
            {TASK_STATUS_LABEL[task.status]}
          </span>
        </div>
        <button
          ref={button}
          type="button"
          onClick={() => onOpen(task.id)}
          aria-labelledby={`${ids}-key ${ids}-title`}
          aria-describedby={describedBy}
          className="card-open"
        >
          <span id={`${ids}-title`} className={struck ? "line-clamp-3 break-words text-zinc-500 line-through" : "line-clamp-3 break-words"} title={task.title}>
            {task.title}
          </span>
        </button>
        {held ? (
          <p id={`${ids}-hold`} className="card-hold" title={task.holdReason ? readable(task.holdReason) : undefined} data-testid="hold-reason">
            {readable(task.holdReason ?? "")}
          </p>
        ) : null}
        {hasBadges ? (
          <p id={`${ids}-badges`} className="flex flex-wrap gap-1 text-xs">
            {verification ? (
              <span
                className={`card-chip ${verificationTone(verification.status)}`}
                title={verification.summary ?? undefined}
                data-testid="verification-badge"
                data-verification={verification.status}
              >
                {VERIFICATION_LABEL[verification.status]}
              </span>
            ) : null}
            {disputed.length > 0 ? (
              <span
                className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 dark:bg-amber-950 dark:text-amber-200"
                title={disputed.join("\n")}
                data-testid="claims-disputed-badge"
              >
                Claims disputed ({disputed.length})
              </span>
            ) : null}
            {pullRequest ? (
              <span className={`card-chip ${pullRequestTone(pullRequest)}`} data-testid="pull-request-badge">
                {pullRequestLine(pullRequest)}
              </span>
            ) : null}
          </p>
        ) : null}
        <p className="card-line" title={activity ?? undefined} data-testid="last-activity">
          {activity ?? "no activity yet"}
        </p>
        {/* One text, not a node per fact: hundreds of cards. */}
        <p className="card-meta">
          {[
            relativeTime(new Date(task.statusChangedAt), now),
            task.currentAttempt > 0 ? `attempt ${task.currentAttempt}` : null,
            task.changedFiles.length > 0 ? `${task.changedFiles.length} file(s) changed` : null,
            tokens,
            cost,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
      </div>
    </li>
  );
});
