"use client";

import { useMemo } from "react";
import { toneClass } from "@/components/run/run-live-feed";
import { LocalTime } from "@/components/ui/local-time";
import { describeEvent } from "@/lib/events/describe";
import { parseEventPayload, type PayloadOf, type RunEvent } from "@/lib/events/types";

/** The drawer shows the latest events of a task; the page keeps up to 2000 of the run. */
const SHOWN = 300;

type Entry =
  | { kind: "event"; event: RunEvent }
  | { kind: "command"; event: RunEvent; command: string; finished: (PayloadOf<"agent.command_finished"> & { at: string }) | null };

/** A command's start and finish (same item id) become one entry; the finish fills it in. */
export function groupCommands(events: RunEvent[]): Entry[] {
  const entries: Entry[] = [];
  const open = new Map<string, Extract<Entry, { kind: "command" }>>();
  for (const event of events) {
    const payload = parseEventPayload(event);
    if (payload?.type === "agent.command_started") {
      const entry = { kind: "command" as const, event, command: payload.command, finished: null };
      open.set(`${payload.attempt}:${payload.itemId}`, entry);
      entries.push(entry);
    } else if (payload?.type === "agent.command_finished") {
      const started = open.get(`${payload.attempt}:${payload.itemId}`);
      if (started) started.finished = { ...payload, at: event.createdAt };
      else entries.push({ kind: "command", event, command: payload.command, finished: { ...payload, at: event.createdAt } });
    } else {
      entries.push({ kind: "event", event });
    }
  }
  return entries;
}

function Time({ at }: { at: string }) {
  return <LocalTime at={at} className="shrink-0 text-zinc-600 dark:text-zinc-400" />;
}

/** The task's live events, oldest first; commands fold open to their output. */
export function TaskActivity({ events }: { events: RunEvent[] }) {
  const entries = useMemo(() => groupCommands(events).slice(-SHOWN), [events]);
  if (entries.length === 0) return <p className="text-zinc-600 dark:text-zinc-400">No events for this task yet.</p>;
  return (
    <ol tabIndex={0} aria-label="Task activity" className="max-h-96 divide-y divide-zinc-100 overflow-auto font-mono text-xs dark:divide-zinc-800" aria-live="polite" data-testid="task-activity">
      {entries.map((entry) => {
        if (entry.kind === "command") {
          const { finished } = entry;
          const outcome = finished ? (finished.exitCode === null ? finished.status : `exit ${finished.exitCode}`) : "running…";
          const failed = finished !== null && finished.exitCode !== 0;
          return (
            <li key={entry.event.seq} className="py-1" data-testid="activity-command">
              <details className="group">
                <summary className="flex cursor-pointer list-none gap-2">
                  <span aria-hidden="true" className="inline-block w-2 shrink-0 transition-transform group-open:rotate-90">
                    ▸
                  </span>
                  <Time at={entry.event.createdAt} />
                  <span className="min-w-0 flex-1 break-all">$ {entry.command}</span>
                  <span className={`shrink-0 ${failed ? "text-amber-800 dark:text-amber-300" : "text-zinc-600 dark:text-zinc-400"}`}>{outcome}</span>
                </summary>
                {finished?.outputTail ? (
                  <pre tabIndex={0} className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 dark:bg-zinc-900">{finished.outputTail}</pre>
                ) : (
                  <p className="mt-1 text-zinc-600 dark:text-zinc-400">{finished ? "No output." : "Still running."}</p>
                )}
              </details>
            </li>
          );
        }
        const { text, tone } = describeEvent(entry.event);
        return (
          <li key={entry.event.seq} className="flex gap-2 py-1">
            <Time at={entry.event.createdAt} />
            <span className={`min-w-0 break-words ${toneClass(tone)}`}>{text}</span>
          </li>
        );
      })}
    </ol>
  );
}
