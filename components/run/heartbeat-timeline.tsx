"use client";

import { describeHeartbeatDecision } from "@/lib/events/describe";
import type { HeartbeatStatus } from "@/lib/heartbeats/status";
import { relativeTime } from "@/lib/shared/relative-time";
import { assertNever } from "@/lib/shared/assert-never";
import { LocalTime } from "@/components/ui/local-time";
import { memo } from "react";
import type { ClientHeartbeat } from "./snapshot";

function statusTone(status: HeartbeatStatus): string {
  switch (status) {
    case "running":
      return "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300";
    case "completed":
      return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
    case "failed":
      return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
    default:
      return assertNever(status, "heartbeat status");
  }
}

/** "tasksByStatus" → "Tasks by status". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Any observed value as one line of text (observations are open-ended JSON; never markup). */
export function describeValue(value: unknown, taskKeys: Map<string, string>, depth = 0): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return taskKeys.get(value) ?? value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    if (depth > 1) return `${value.length} item(s)`;
    return value.map((item) => describeValue(item, taskKeys, depth + 1)).join("; ");
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "none";
    if (depth > 1) return `${entries.length} field(s)`;
    return entries.map(([key, item]) => `${taskKeys.has(key) ? taskKeys.get(key) : key}: ${describeValue(item, taskKeys, depth + 1)}`).join(", ");
  }
  return String(value);
}

/** One line of what a heartbeat saw, from the observations it is known to record. */
/** A heartbeat that decided nothing still says so when what it saw waits for a person (issue #17). */
function waitsForPerson(heartbeat: ClientHeartbeat): boolean {
  const byStatus = (heartbeat.observations as Record<string, unknown>).tasksByStatus;
  if (!byStatus || typeof byStatus !== "object") return false;
  const counts = byStatus as Record<string, unknown>;
  return [counts.blocked, counts.needs_review].some((count) => typeof count === "number" && count > 0);
}

function headline(heartbeat: ClientHeartbeat): string {
  const seen = heartbeat.observations as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof seen.runStatus === "string") parts.push(`run ${seen.runStatus.replace("_", " ")}`);
  if (seen.tasksByStatus && typeof seen.tasksByStatus === "object") {
    const counts = Object.entries(seen.tasksByStatus as Record<string, number>).filter(([, count]) => typeof count === "number" && count > 0);
    if (counts.length) parts.push(counts.map(([status, count]) => `${count} ${status.replace("_", " ")}`).join(", "));
  }
  if (Array.isArray(seen.stalledAttempts) && seen.stalledAttempts.length) parts.push(`${seen.stalledAttempts.length} stalled`);
  if (typeof seen.openQuestions === "number" && seen.openQuestions > 0) parts.push(`${seen.openQuestions} open question(s)`);
  if (typeof seen.pendingApprovals === "number" && seen.pendingApprovals > 0) parts.push(`${seen.pendingApprovals} pending approval(s)`);
  return parts.join(" · ") || "nothing recorded";
}

function duration(heartbeat: ClientHeartbeat): string | null {
  if (!heartbeat.finishedAt) return null;
  const ms = new Date(heartbeat.finishedAt).getTime() - new Date(heartbeat.startedAt).getTime();
  return ms < 1000 ? `${Math.max(0, ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * What each heartbeat saw and decided, newest first: one compact line each,
 * folding open to the observations and every decision with its reason.
 */
export const HeartbeatTimeline = memo(function HeartbeatTimeline({
  heartbeats,
  taskKeys,
  now,
}: {
  heartbeats: ClientHeartbeat[];
  /** Task id → key, stable while the run's tasks stay the same (a card's live line does not re-render this). */
  taskKeys: Map<string, string>;
  now: Date;
}) {
  const ordered = [...heartbeats].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <section aria-labelledby="heartbeats-heading" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="heartbeats-heading" className="border-b border-zinc-200 px-4 py-2 text-sm font-semibold dark:border-zinc-800">
        Heartbeats
      </h2>
      {ordered.length === 0 ? (
        <p className="px-4 py-4 text-sm text-zinc-600 dark:text-zinc-400">No heartbeat yet. One runs on the run&apos;s schedule, or press “Check now”.</p>
      ) : (
        <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="heartbeat-timeline">
          {ordered.map((heartbeat) => {
            const decisions = heartbeat.decisions;
            const observations = Object.entries(heartbeat.observations as Record<string, unknown>);
            return (
              <li key={heartbeat.id} data-testid="heartbeat" data-trigger={heartbeat.trigger} data-status={heartbeat.status}>
                <details className="group px-4 py-2">
                  <summary className="flex cursor-pointer list-none flex-wrap items-baseline gap-x-2 gap-y-0.5 text-xs">
                    <span aria-hidden="true" className="inline-block w-2 transition-transform group-open:rotate-90">
                      ▸
                    </span>
                    <time dateTime={heartbeat.startedAt} className="text-zinc-600 dark:text-zinc-400">
                      {relativeTime(new Date(heartbeat.startedAt), now)}
                    </time>
                    <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{heartbeat.trigger}</span>
                    {heartbeat.status !== "completed" ? <span className={`rounded px-1.5 py-0.5 ${statusTone(heartbeat.status)}`}>{heartbeat.status}</span> : null}
                    <span className="min-w-0 break-words">{headline(heartbeat)}</span>
                    <span className={decisions.length || waitsForPerson(heartbeat) ? "font-medium text-amber-800 dark:text-amber-300" : "text-zinc-600 dark:text-zinc-400"}>
                      · {decisions.length ? `${decisions.length} decision(s)` : waitsForPerson(heartbeat) ? "waiting for you: a blocked or review task" : "no action"}
                    </span>
                  </summary>
                  <div className="mt-2 space-y-2 pl-4 text-xs">
                    {heartbeat.error ? <p className="whitespace-pre-wrap break-words text-red-800 dark:text-red-300">Error: {heartbeat.error}</p> : null}
                    <div>
                      <p className="font-medium">Saw</p>
                      {observations.length === 0 ? (
                        <p className="text-zinc-600 dark:text-zinc-400">Nothing recorded.</p>
                      ) : (
                        <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-3 gap-y-0.5" data-testid="heartbeat-observations">
                          {observations.map(([key, value]) => (
                            <div key={key} className="contents">
                              <dt className="text-zinc-600 dark:text-zinc-400">{humanizeKey(key)}</dt>
                              <dd className="min-w-0 break-words">{describeValue(value, taskKeys)}</dd>
                            </div>
                          ))}
                        </dl>
                      )}
                    </div>
                    <div>
                      <p className="font-medium">Decided</p>
                      {decisions.length === 0 ? (
                        <p className="text-zinc-600 dark:text-zinc-400">Nothing to do.</p>
                      ) : (
                        <ul className="space-y-1" data-testid="heartbeat-decisions">
                          {decisions.map((decision, index) => (
                            <li key={index} className="break-words">
                              {describeHeartbeatDecision(decision, decision.taskId ? (taskKeys.get(decision.taskId) ?? "(another task)") : null)}
                            </li>
                          ))}
                        </ul>
                      )}
                    </div>
                    <p className="text-zinc-600 dark:text-zinc-400">
                      Started <LocalTime at={heartbeat.startedAt} withDate />
                      {duration(heartbeat) ? `, took ${duration(heartbeat)}` : ""}
                      {heartbeat.runnerId ? ` on runner ${heartbeat.runnerId}` : ""}.
                    </p>
                  </div>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
});
