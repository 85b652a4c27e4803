"use client";

import { memo } from "react";
import { LocalTime } from "@/components/ui/local-time";
import type { AttemptStatus } from "@/lib/attempts/status";
import { assertNever } from "@/lib/shared/assert-never";
import type { ClientTask } from "./snapshot";

export function attemptBarClass(status: AttemptStatus): string {
  switch (status) {
    case "starting":
      return "bg-sky-300 dark:bg-sky-700";
    case "running":
      return "bg-sky-500 dark:bg-sky-400";
    case "completed":
      return "bg-emerald-500 dark:bg-emerald-400";
    case "failed":
      return "bg-red-500 dark:bg-red-400";
    case "interrupted":
      return "bg-amber-500 dark:bg-amber-400";
    case "abandoned":
      return "bg-zinc-400 dark:bg-zinc-500";
    default:
      return assertNever(status, "attempt status");
  }
}

const LEGEND: AttemptStatus[] = ["running", "completed", "failed", "interrupted", "abandoned"];

/** Tick spacings, in seconds, from which the axis picks the first giving at most six ticks. */
const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400];

/** "+45 s", "+3 min", "+1 h 20 min": offsets from the first attempt (the same on server and browser). */
export function formatSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 && minutes < 10 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export type TimelineBar = {
  taskId: string;
  key: string;
  attempt: number;
  status: AttemptStatus;
  startedAt: string;
  endedAt: string | null;
  /** Percentages of the axis. */
  left: number;
  width: number;
  label: string;
};

/** Lays the attempts of every task on one time axis from the first start to the last end (or now). */
export function layoutTimeline(tasks: ClientTask[], now: Date) {
  const attempts = tasks.flatMap((task) => task.attempts.map((attempt) => ({ task, attempt })));
  if (attempts.length === 0) return null;
  const nowMs = now.getTime();
  const start = Math.min(...attempts.map(({ attempt }) => new Date(attempt.startedAt).getTime()));
  // A running attempt reaches to now; finished ones end where they ended.
  const end = Math.max(...attempts.map(({ attempt }) => (attempt.endedAt ? new Date(attempt.endedAt).getTime() : nowMs)));
  // At least a minute wide, so a few seconds of work do not fill the whole axis.
  const span = Math.max(end - start, 60_000);
  const rows = tasks
    .filter((task) => task.attempts.length > 0)
    .map((task) => ({
      taskId: task.id,
      key: task.key,
      title: task.title,
      bars: task.attempts.map((attempt): TimelineBar => {
        const from = new Date(attempt.startedAt).getTime();
        const to = attempt.endedAt ? new Date(attempt.endedAt).getTime() : Math.max(nowMs, from);
        const left = ((from - start) / span) * 100;
        const width = Math.max(((to - from) / span) * 100, 0);
        return {
          taskId: task.id,
          key: task.key,
          attempt: attempt.number,
          status: attempt.status,
          startedAt: attempt.startedAt,
          endedAt: attempt.endedAt,
          left: Math.min(Math.max(left, 0), 100),
          width: Math.min(width, 100 - Math.min(Math.max(left, 0), 100)),
          label: `${task.key} attempt ${attempt.number}: ${attempt.status}, from +${formatSpan(from - start)}, ${attempt.endedAt ? `took ${formatSpan(to - from)}` : `still open after ${formatSpan(to - from)}`}`,
        };
      }),
    }));
  const step = (STEPS.find((candidate) => span / (candidate * 1000) <= 6) ?? STEPS[STEPS.length - 1]!) * 1000;
  const ticks: { at: number; left: number; label: string }[] = [];
  for (let at = 0; at <= span; at += step) ticks.push({ at, left: (at / span) * 100, label: at === 0 ? "0" : `+${formatSpan(at)}` });
  return { start, span, rows, ticks };
}

/**
 * The worker timeline: one row per task, a bar per attempt from its start to
 * its end (or now), coloured by how the attempt went. CSS only; every bar has
 * a text label, and a visually hidden table says the same for screen readers.
 */
export const WorkerTimeline = memo(function WorkerTimeline({ tasks, now }: { tasks: ClientTask[]; now: Date }) {
  const layout = layoutTimeline(tasks, now);
  return (
    <section aria-labelledby="worker-timeline-heading" className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 id="worker-timeline-heading" className="text-sm font-semibold">
          Worker timeline
        </h2>
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300" aria-label="Legend">
          {LEGEND.map((status) => (
            <li key={status} className="flex items-center gap-1">
              <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${attemptBarClass(status)}`} />
              {status}
            </li>
          ))}
        </ul>
      </div>
      {!layout ? (
        <p className="px-4 py-4 text-sm text-zinc-600 dark:text-zinc-400">No worker has started yet.</p>
      ) : (
        <>
          <div className="overflow-x-auto px-4 py-3" data-testid="worker-timeline" tabIndex={0} role="region" aria-label="Worker timeline chart">
            <div className="min-w-[36rem]">
              <div aria-hidden="true" className="relative ml-14 h-5 border-b border-zinc-200 text-[11px] text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
                {layout.ticks.map((tick) => (
                  <span key={tick.at} className="absolute top-0 -translate-x-1/2 whitespace-nowrap first:translate-x-0" style={{ left: `${tick.left}%` }}>
                    {tick.label}
                  </span>
                ))}
              </div>
              <ol className="mt-1 space-y-1" aria-label="Attempts by task, on a time axis">
                {layout.rows.map((row) => (
                  <li key={row.taskId} className="flex h-5 items-center" data-testid="timeline-row" data-key={row.key}>
                    <span aria-hidden="true" className="w-14 shrink-0 truncate pr-2 font-mono text-xs" title={row.title}>
                      {row.key}
                    </span>
                    <span className="relative h-full flex-1 rounded-sm bg-zinc-100 dark:bg-zinc-800">
                      {layout.ticks.map((tick) => (
                        <span key={tick.at} aria-hidden="true" className="absolute inset-y-0 w-px bg-zinc-200 dark:bg-zinc-700" style={{ left: `${tick.left}%` }} />
                      ))}
                      {row.bars.map((bar) => (
                        <span
                          key={bar.attempt}
                          role="img"
                          aria-label={bar.label}
                          title={bar.label}
                          className={`absolute inset-y-0.5 min-w-[3px] rounded-sm ${attemptBarClass(bar.status)}`}
                          style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                          data-testid="timeline-bar"
                          data-status={bar.status}
                          data-attempt={bar.attempt}
                        />
                      ))}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          </div>
          {/* A table ignores the 1px width of sr-only: the wrapper keeps it from widening the page. */}
          <div className="sr-only">
          <table data-testid="worker-timeline-table">
            <caption>Worker attempts, by task</caption>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {layout.rows.flatMap((row) =>
                row.bars.map((bar) => (
                  <tr key={`${row.taskId}-${bar.attempt}`}>
                    <th scope="row">{bar.key}</th>
                    <td>{bar.attempt}</td>
                    <td>{bar.status}</td>
                    <td>
                      <LocalTime at={bar.startedAt} />
                    </td>
                    <td>{bar.endedAt ? <LocalTime at={bar.endedAt} /> : "still running"}</td>
                    <td>{formatSpan((bar.endedAt ? new Date(bar.endedAt).getTime() : now.getTime()) - new Date(bar.startedAt).getTime())}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          </div>
        </>
      )}
    </section>
  );
}, sameAttempts);

/** A card's live line replaces its task object but keeps its attempts: the chart only redraws when attempts, keys or the clock change. */
function sameAttempts(before: { tasks: ClientTask[]; now: Date }, after: { tasks: ClientTask[]; now: Date }): boolean {
  return (
    before.now === after.now &&
    before.tasks.length === after.tasks.length &&
    before.tasks.every((task, index) => task.attempts === after.tasks[index]!.attempts && task.key === after.tasks[index]!.key && task.title === after.tasks[index]!.title)
  );
}
