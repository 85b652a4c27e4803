"use client";

import { useEffect, useState } from "react";

/**
 * "Next heartbeat in 4 min" for the run header. Its own once-a-second clock,
 * so the countdown never re-renders the board. Rendered after hydration only
 * (the server's clock and the browser's differ).
 */
export function HeartbeatCountdown({ at }: { at: string | null }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!at || now === null) return null;
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  const label = seconds <= 0 ? "due now" : seconds < 60 ? `in ${seconds} s` : `in ${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  return (
    <span data-testid="heartbeat-countdown" className="tabular-nums">
      next heartbeat {label}
    </span>
  );
}
