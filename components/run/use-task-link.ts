"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef } from "react";
import type { ClientTask } from "./snapshot";

/** Task keys are short (T2, T2.1); a longer value in the URL is shown cut. */
const SHOWN_KEY_CHARS = 40;

/** Writes `?task=` without a navigation; Next's router sees the change (useSearchParams follows it). */
function writeTaskParam(key: string | null) {
  const url = new URL(window.location.href);
  if (key) url.searchParams.set("task", key);
  else url.searchParams.delete("task");
  window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
}

/**
 * The open task lives in the URL (`/runs/:id?task=T2`), so a task's drawer can
 * be linked to and shared. A key the run does not have comes back as
 * `missingKey`, for the page to say so; it may still appear (a plan approved
 * meanwhile), and the drawer then opens.
 */
export function useTaskLink(tasks: ClientTask[]) {
  const key = useSearchParams().get("task");
  const openTask = key ? tasks.find((task) => task.key === key) : undefined;
  // The board's memoized cards get one `open` for the page's life, not a new one per event.
  const latest = useRef(tasks);
  useEffect(() => {
    latest.current = tasks;
  }, [tasks]);
  const open = useCallback((taskId: string) => {
    const task = latest.current.find((candidate) => candidate.id === taskId);
    if (task) writeTaskParam(task.key);
  }, []);
  const close = useCallback(() => writeTaskParam(null), []);
  return { openTask, open, close, missingKey: key && !openTask ? key.slice(0, SHOWN_KEY_CHARS) : null };
}
