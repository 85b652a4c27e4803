"use client";

import { createContext, useCallback, useContext, useSyncExternalStore } from "react";
import type { RunEvent } from "@/lib/events/types";

/**
 * The run page's two hot values live outside React state, so an event renders
 * only what shows it: a card's live line re-renders that one card, the feed
 * re-renders the feed; the board, the panels and the timelines stay put.
 */

export type CardActivity = { text: string; at: string };

/** Each card's latest live line by task id; a reader subscribes to its own task only. */
export class CardActivityStore {
  private lines = new Map<string, CardActivity>();
  private listeners = new Map<string, Set<() => void>>();

  get(taskId: string): CardActivity | undefined {
    return this.lines.get(taskId);
  }

  set(taskId: string, line: CardActivity) {
    this.lines.set(taskId, line);
    for (const listener of this.listeners.get(taskId) ?? []) listener();
  }

  subscribe(taskId: string, listener: () => void): () => void {
    const set = this.listeners.get(taskId) ?? new Set();
    set.add(listener);
    this.listeners.set(taskId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(taskId);
    };
  }
}

/** The run's latest events, oldest first, capped; readers get one new array per batch. */
export class EventLog {
  private events: RunEvent[] = [];
  private listeners = new Set<() => void>();

  constructor(private readonly cap: number) {}

  get = (): RunEvent[] => this.events;

  append(batch: RunEvent[]) {
    if (batch.length === 0) return;
    const joined = this.events.concat(batch);
    this.events = joined.length > this.cap ? joined.slice(joined.length - this.cap) : joined;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const EMPTY: RunEvent[] = [];
const noEvents = { get: () => EMPTY, subscribe: () => () => {} };

export const CardActivityContext = createContext<CardActivityStore | null>(null);

/** The card's live line: the newer of the snapshot's and the last event's. */
export function useCardActivity(taskId: string, fromSnapshot: { text: string | null; at: string | null }): string | null {
  const store = useContext(CardActivityContext);
  const subscribe = useCallback((listener: () => void) => (store ? store.subscribe(taskId, listener) : () => {}), [store, taskId]);
  const live = useSyncExternalStore(
    subscribe,
    () => store?.get(taskId),
    () => undefined,
  );
  if (!live) return fromSnapshot.text;
  if (fromSnapshot.at && Date.parse(fromSnapshot.at) > Date.parse(live.at)) return fromSnapshot.text;
  return live.text;
}

/** The run's latest events (empty on the server: the stream starts in the browser). */
export function useEventLog(log: EventLog | null): RunEvent[] {
  const source = log ?? noEvents;
  return useSyncExternalStore(source.subscribe, source.get, () => EMPTY);
}
