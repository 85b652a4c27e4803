"use client";

import { type ReactNode, startTransition, useEffect, useState } from "react";

/** How long a deferred part may wait for an idle moment before it renders anyway. */
const IDLE_TIMEOUT_MS = 500;

/**
 * Renders `children` only once the page is live and the browser has an idle
 * moment; until then (and on the server) a placeholder of the same rough
 * height. For heavy parts below the board on big runs: the board's HTML and
 * hydration do not wait for them.
 */
export function AfterHydration({ when, placeholder, children }: { when: boolean; placeholder: ReactNode; children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!when || ready) return;
    // A transition: rendered in slices that yield to the socket's messages and to clicks, not in one long task.
    const show = () => startTransition(() => setReady(true));
    if (typeof window.requestIdleCallback === "function") {
      const handle = window.requestIdleCallback(show, { timeout: IDLE_TIMEOUT_MS });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(show, 0);
    return () => clearTimeout(timer);
  }, [when, ready]);
  return when && !ready ? placeholder : children;
}
