"use client";

import { startTransition, useEffect, useState } from "react";

/** How far the server's clock may lag the page before "5 min ago" labels are redrawn at once, not at the next tick. */
const STALE_AFTER_MS = 60_000;

/**
 * The current time for "5 min ago" labels. It starts at the server's render
 * time (so hydration matches) and advances on a local clock; no network. A
 * fresh page keeps the server's time until the first tick (the labels read
 * the same): redrawing every card right after hydration would double its cost.
 */
export function useNow(renderedAt: string, everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date(renderedAt));
  useEffect(() => {
    // A page restored long after its render (back/forward cache) catches up at once.
    if (Date.now() - new Date(renderedAt).getTime() > STALE_AFTER_MS) setNow(new Date());
    // A transition: redrawing every card's age yields to the socket's messages instead of holding them up.
    const timer = setInterval(() => startTransition(() => setNow(new Date())), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, renderedAt]);
  return now;
}
