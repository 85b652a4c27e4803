"use client";

import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/form";
import type { EventPayload, RunEvent } from "@/lib/events/types";
import { describeMoment, momentOfEvent } from "@/lib/notifications/moment-of-event";
import { MOMENT_LABELS } from "@/lib/notifications/status";
import type { ClientSnapshot } from "./snapshot";

/**
 * Browser notifications on an open run page (issue #15): the moments a
 * webhook would announce, shown while the tab is in the background. The
 * browser is asked for permission only when the person clicks "Notify me";
 * denied, nothing is shown and nothing asks again.
 */
const OPT_OUT_KEY = "foreman:notifications";
const CHANGED = "foreman:notifications-changed";

type AlertState = "unsupported" | "denied" | "on" | "off";

function readState(): AlertState {
  if (typeof window === "undefined" || !("Notification" in window)) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return Notification.permission === "granted" && window.localStorage.getItem(OPT_OUT_KEY) !== "off" ? "on" : "off";
}

/**
 * The state as last read: asking the browser is a synchronous call into it (milliseconds in Chromium), and React
 * asks for a store's snapshot on every render. Read again when this page changes it, when another tab changes the
 * opt-out, and when the tab comes back (the permission may have changed in the browser's settings meanwhile).
 */
let known: AlertState | null = null;
const currentState = (): AlertState => (known ??= readState());

function subscribe(onChange: () => void): () => void {
  const reread = () => {
    known = null;
    onChange();
  };
  const onVisible = () => {
    if (document.visibilityState === "visible") reread();
  };
  window.addEventListener(CHANGED, reread);
  window.addEventListener("storage", reread);
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    window.removeEventListener(CHANGED, reread);
    window.removeEventListener("storage", reread);
    document.removeEventListener("visibilitychange", onVisible);
  };
}

/** Called for each live event of the run page (components/run/use-run-live.ts). */
export function announceMoment(event: RunEvent, payload: EventPayload, snapshot: ClientSnapshot): void {
  // Cheapest first: the permission and the opt-out are each a synchronous call into the browser (about a
  // millisecond per event in Chromium), asked only for a moment worth showing in a hidden tab.
  if (document.visibilityState !== "hidden") return;
  const found = momentOfEvent(payload);
  if (!found || currentState() !== "on") return;
  const task = event.taskId ? snapshot.tasks.find((row) => row.id === event.taskId) : undefined;
  if (found.whileTaskBlocked && task?.status !== "blocked") return;
  const body = describeMoment({ moment: found.moment, runTitle: snapshot.run.title, taskKey: task?.key ?? null, text: found.text, merged: 1 });
  // One notification per run and moment at a time: questions asked together replace each other.
  const shown = new Notification(`Foreman: ${MOMENT_LABELS[found.moment]}`, { body, tag: `${snapshot.run.id}:${found.moment}` });
  shown.onclick = () => {
    window.focus();
    shown.close();
  };
}

export function NotifyMeButton() {
  const state = useSyncExternalStore(subscribe, currentState, () => "unsupported" as const);
  const changed = () => window.dispatchEvent(new Event(CHANGED));
  async function turnOn() {
    window.localStorage.removeItem(OPT_OUT_KEY);
    if (Notification.permission === "default") await Notification.requestPermission();
    changed();
  }
  function turnOff() {
    window.localStorage.setItem(OPT_OUT_KEY, "off");
    changed();
  }
  switch (state) {
    case "unsupported":
      return null;
    case "denied":
      return (
        <span className="text-xs text-zinc-500" data-testid="notify-state">
          Notifications are blocked in this browser.
        </span>
      );
    case "on":
      return (
        <Button variant="secondary" onClick={turnOff} data-testid="notify-state" title="Shown while this tab is in the background">
          Notifications on · turn off
        </Button>
      );
    case "off":
      return (
        <Button variant="secondary" onClick={() => void turnOn()} data-testid="notify-state" title="Questions, approvals, blocked tasks, budget, completion and failure, while this tab is in the background">
          Notify me
        </Button>
      );
  }
}
