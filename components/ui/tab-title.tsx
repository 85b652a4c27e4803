"use client";

import { useEffect } from "react";

/** Keeps the browser tab's title in step with live state (e.g. "(2) Runs · Foreman"), restoring it on leave. */
export function TabTitle({ title }: { title: string }) {
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
  return null;
}
