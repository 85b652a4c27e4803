"use client";

import { useNow } from "./use-now";

/**
 * "Next heartbeat in 4 min 05 s" for the run header. Its own once-a-second
 * clock (useNow), so the countdown never re-renders the board; it starts at
 * the server's render time, so hydration matches.
 */
export function HeartbeatCountdown({ at, renderedAt }: { at: string | null; renderedAt: string }) {
  const now = useNow(renderedAt, 1000).getTime();
  if (!at) return null;
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  const label = seconds <= 0 ? "due now" : seconds < 60 ? `in ${seconds} s` : `in ${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  return (
    <span data-testid="heartbeat-countdown" className="tabular-nums">
      next heartbeat {label}
    </span>
  );
}
