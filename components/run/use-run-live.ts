"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { callApi } from "@/components/ui/form";
import { describeEvent } from "@/lib/events/describe";
import { parseEventPayload, type RunEvent } from "@/lib/events/types";
import { applyStatusMoves, type StatusMove } from "./apply-status-moves";
import { EVENT_EFFECTS } from "./event-effects";
import { frameBatch } from "./frame-batch";
import { CardActivityStore, EventLog } from "./live-stores";
import { announceMoment } from "./moment-alerts";
import { type ClientSnapshot, runQueryKey, TASK_DETAIL_QUERY, taskDetailQueryKey } from "./snapshot";
import { useRunStream } from "./use-run-stream";

/** Events the page keeps for the feed and the drawer's activity. */
const MAX_EVENTS = 2000;
const REFETCH_DEBOUNCE_MS = 250;
const DETAIL_DEBOUNCE_MS = 400;

/**
 * The run page's live state: the snapshot in TanStack Query (key ["run", id])
 * and the one socket subscription of the page. What each event does is the
 * table in event-effects.ts. Card lines and the event log are stores of their
 * own (live-stores.ts); events are applied in frame batches (frame-batch.ts).
 */
export function useRunLive(initial: ClientSnapshot) {
  const runId = initial.run.id;
  const queryClient = useQueryClient();
  const key = runQueryKey(runId);
  const { data } = useQuery({
    queryKey: key,
    // Race: a read that started before events newer than it were applied is older than the cache: read again, a few times, then keep the cache.
    queryFn: async () => {
      let current = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
      for (let tries = 0; tries < 3; tries++) {
        const next = await callApi<ClientSnapshot>(`/api/runs/${runId}`);
        current = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
        if (!current || next.seq >= current.seq) return next;
      }
      return current!;
    },
    initialData: initial,
  });
  const [stores] = useState(() => ({ cards: new CardActivityStore(), log: new EventLog(MAX_EVENTS) }));

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetch = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      // The next event or a reconnect brings a fresh read when this one fails; the board keeps what it has.
      void queryClient.invalidateQueries({ queryKey: runQueryKey(runId) });
    }, REFETCH_DEBOUNCE_MS);
  }, [queryClient, runId]);

  // An open drawer's detail is re-read when its task's events arrive (only queries in use refetch; others are marked stale).
  const staleDetails = useRef(new Set<string | null>());
  const detailTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const invalidateDetail = useCallback(
    (taskId: string | null) => {
      staleDetails.current.add(taskId);
      detailTimer.current ??= setTimeout(() => {
        detailTimer.current = null;
        const ids = [...staleDetails.current];
        staleDetails.current.clear();
        // A fetch in flight is kept, not restarted: a busy task's events must not starve its drawer.
        if (ids.includes(null)) void queryClient.invalidateQueries({ queryKey: [TASK_DETAIL_QUERY] }, { cancelRefetch: false });
        else for (const id of ids) void queryClient.invalidateQueries({ queryKey: taskDetailQueryKey(id!) }, { cancelRefetch: false });
      }, DETAIL_DEBOUNCE_MS);
    },
    [queryClient],
  );

  // A server re-render brings a newer snapshot as props.
  useEffect(() => {
    const current = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
    if (!current || initial.seq >= current.seq) queryClient.setQueryData(runQueryKey(runId), initial);
  }, [initial, queryClient, runId]);

  /** One batch of events: one append to the log, one line per card, one snapshot patch for all status moves. */
  const apply = useCallback(
    (batch: RunEvent[]) => {
      stores.log.append(batch);
      const snapshot = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
      if (!snapshot) return;
      const moves: StatusMove[] = [];
      let refresh = false;
      for (const event of batch) {
        // Replayed events the snapshot already reflects change nothing.
        if (event.seq <= snapshot.seq) continue;
        const payload = parseEventPayload(event);
        if (!payload) continue;
        announceMoment(event, payload, snapshot);
        const effect = EVENT_EFFECTS[payload.type];
        if (effect.card === "status" && event.taskId && payload.type === "task.status_changed") moves.push({ taskId: event.taskId, seq: event.seq, at: event.createdAt, payload });
        else if (effect.card === "activity" && event.taskId) stores.cards.set(event.taskId, { text: describeEvent(event).text, at: event.createdAt });
        refresh ||= effect.snapshot;
        // The manager's own agent events carry no task and change no task's detail.
        if (effect.detail && !(event.taskId === null && payload.type.startsWith("agent."))) invalidateDetail(event.taskId);
      }
      if (moves.length > 0) {
        queryClient.setQueryData<ClientSnapshot>(runQueryKey(runId), (old) =>
          old ? { ...old, seq: Math.max(old.seq, moves.at(-1)!.seq), tasks: applyStatusMoves(old.tasks, moves) } : old,
        );
      }
      if (refresh) refetch();
    },
    [invalidateDetail, queryClient, refetch, runId, stores],
  );

  // One batcher for the page's life; it applies with the latest `apply`.
  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  }, [apply]);
  const [batch] = useState(() => frameBatch<RunEvent>((events) => applyRef.current(events)));
  useEffect(
    () => () => {
      batch.cancel();
      if (timer.current) clearTimeout(timer.current);
      if (detailTimer.current) clearTimeout(detailTimer.current);
    },
    [batch],
  );

  const onEvent = useCallback((event: RunEvent) => batch.push(event), [batch]);
  // A long run's page replays only the events it keeps, not the run's whole history; events its snapshot
  // may not reflect were cut off only if the snapshot is older than the replay's start: then it is read again.
  const onReplayCut = useCallback(
    (after: number) => {
      const snapshot = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
      if (snapshot && snapshot.seq < after) refetch();
    },
    [queryClient, refetch, runId],
  );
  const stream = useRunStream(runId, onEvent, { latest: MAX_EVENTS, onReplayCut });
  return { snapshot: data, stream, cards: stores.cards, log: stores.log };
}
