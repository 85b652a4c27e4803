"use client";

import { memo, useDeferredValue, useMemo } from "react";
import { describeEvent, type EventTone } from "@/lib/events/describe";
import type { RunEvent } from "@/lib/events/types";
import { LocalTime } from "@/components/ui/local-time";
import { RawDetails } from "@/components/ui/raw-details";
import { assertNever } from "@/lib/shared/assert-never";
import { type EventLog, useEventLog } from "./live-stores";
import type { StreamState } from "./use-run-stream";

/** Rows the feed keeps in the DOM: the latest ones; older events stay in the log for the drawer. */
const FEED_ROWS = 150;

export function toneClass(tone: EventTone): string {
  switch (tone) {
    case "neutral":
      return "text-zinc-600 dark:text-zinc-400";
    case "info":
      return "text-sky-700 dark:text-sky-300";
    case "success":
      return "text-emerald-700 dark:text-emerald-300";
    case "warning":
      return "text-amber-700 dark:text-amber-300";
    case "danger":
      return "text-red-700 dark:text-red-300";
    default:
      return assertNever(tone, "tone");
  }
}

function LiveIndicator({ state }: { state: StreamState }) {
  const label = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…", refused: "not allowed" }[state];
  const dot = state === "live" ? "bg-emerald-500" : state === "refused" ? "bg-red-500" : "bg-amber-500 animate-pulse";
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400" data-testid="live-indicator" data-state={state}>
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden="true" />
      {label}
    </span>
  );
}

/** One event, rendered once: an event never changes, and the feed grows by one row per event. */
const FeedRow = memo(function FeedRow({ event }: { event: RunEvent }) {
  const { text, tone } = describeEvent(event);
  return (
    <li className="flex gap-3 px-4 py-1.5" data-seq={event.seq} data-type={event.type}>
      <LocalTime at={event.createdAt} className="shrink-0 text-zinc-500 dark:text-zinc-400" />
      <span className="min-w-0 flex-1 space-y-1">
        <span className={`block break-words ${toneClass(tone)}`}>{text}</span>
        <RawDetails label={event.type} value={event.payload} />
      </span>
    </li>
  );
});

/** The run's latest events as they happen, oldest first; the page's one stream (useRunLive) feeds it. */
export function RunLiveFeed({ log, state, error }: { log: EventLog; state: StreamState; error: string | null }) {
  // Rendered after the cards: an event's card line is committed first, and the feed catches up in the same frame.
  const all = useDeferredValue(useEventLog(log));
  // The rows' elements are made once per log version: the urgent render (old log) returns them as they were.
  const rows = useMemo(() => (all.length > FEED_ROWS ? all.slice(-FEED_ROWS) : all).map((event) => <FeedRow key={event.seq} event={event} />), [all]);
  return (
    <section aria-labelledby="feed-heading" className="below-board rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 id="feed-heading" className="text-sm font-semibold">
          Activity
        </h2>
        <LiveIndicator state={state} />
      </div>
      {error ? <p className="px-4 py-2 text-sm text-red-700 dark:text-red-300">{error}</p> : null}
      {rows.length === 0 ? (
        <p className="px-4 py-6 text-sm text-zinc-500">No events yet. They appear here the moment the runner records them.</p>
      ) : (
        <ol className="divide-y divide-zinc-100 font-mono text-xs dark:divide-zinc-800" aria-live="polite" data-testid="event-feed">
          {rows}
        </ol>
      )}
    </section>
  );
}
