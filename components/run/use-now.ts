"use client";

import { useEffect, useState } from "react";

/**
 * The current time for "5 min ago" labels. It starts at the server's render
 * time (so hydration matches) and advances on a local clock; no network.
 */
export function useNow(renderedAt: string, everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date(renderedAt));
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
