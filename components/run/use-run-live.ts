"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { callApi } from "@/components/ui/form";
import { describeEvent } from "@/lib/events/describe";
import { parseEventPayload, type RunEvent } from "@/lib/events/types";
import { TASK_STATUS_RANK } from "@/lib/tasks/status";
import { type ClientSnapshot, runQueryKey } from "./snapshot";
import { useRunStream } from "./use-run-stream";

const MAX_EVENTS = 2000;
const REFETCH_DEBOUNCE_MS = 250;

/** Event types after which the snapshot is re-read (statuses, questions, plan, tokens). */
const REFETCH_ON = new Set([
  "run.status_changed",
  "run.summary",
  "task.status_changed",
  "task.held",
  "task.committed",
  "task.verification_finished",
  "task.worktree_ready",
  "attempt.status_changed",
  "agent.turn_completed",
  "review.completed",
  "question.asked",
  "question.answered",
  "plan.proposed",
  "plan.edited",
  "plan.approved",
  "plan.replan_requested",
  "heartbeat.completed",
]);

/**
 * The run page's live state: the snapshot in TanStack Query (key ["run", id])
 * and the one socket subscription of the page. Events patch the cache where a
 * patch is safe and trigger a debounced re-read of the snapshot otherwise.
 */
export function useRunLive(initial: ClientSnapshot) {
  const runId = initial.run.id;
  const queryClient = useQueryClient();
  const key = runQueryKey(runId);
  const { data } = useQuery({
    queryKey: key,
    queryFn: () => callApi<ClientSnapshot>(`/api/runs/${runId}`),
    initialData: initial,
  });
  const [events, setEvents] = useState<RunEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Keeps a snapshot only if it is at least as new as the one in cache (a slow response never wins). */
  const accept = useCallback(
    (next: ClientSnapshot): boolean => {
      const current = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
      if (current && next.seq < current.seq) return false;
      queryClient.setQueryData(runQueryKey(runId), next);
      return true;
    },
    [queryClient, runId],
  );

  const refetch = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      callApi<ClientSnapshot>(`/api/runs/${runId}`)
        .then((next) => {
          // Rejected means events newer than this read were applied meanwhile: read once more.
          if (!accept(next)) refetchRef.current();
        })
        .catch(() => {
          // The next event or reconnect brings a fresh read; the board keeps what it has.
        });
    }, REFETCH_DEBOUNCE_MS);
  }, [accept, runId]);
  const refetchRef = useRef(refetch);
  useEffect(() => {
    refetchRef.current = refetch;
  }, [refetch]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  // A server re-render (router.refresh after a control) brings a newer snapshot as props.
  useEffect(() => {
    accept(initial);
  }, [accept, initial]);

  const onEvent = useCallback(
    (event: RunEvent) => {
      setEvents((current) => (current.length >= MAX_EVENTS ? [...current.slice(1), event] : [...current, event]));
      const snapshot = queryClient.getQueryData<ClientSnapshot>(runQueryKey(runId));
      // Replayed events the snapshot already reflects change nothing.
      if (!snapshot || event.seq <= snapshot.seq) return;
      const payload = parseEventPayload(event);
      if (!payload) return;
      if (payload.type === "task.status_changed" && event.taskId) {
        // Late events never move a card backwards; legitimate backward moves come with the re-read.
        queryClient.setQueryData<ClientSnapshot>(runQueryKey(runId), (old) =>
          old
            ? {
                ...old,
                seq: event.seq,
                tasks: old.tasks.map((task) =>
                  task.id === event.taskId && TASK_STATUS_RANK[payload.to] > TASK_STATUS_RANK[task.status]
                    ? { ...task, status: payload.to, statusChangedAt: event.createdAt }
                    : task,
                ),
              }
            : old,
        );
      } else if (event.taskId && (payload.type.startsWith("agent.") || payload.type.startsWith("task."))) {
        const line = describeEvent(event).text;
        queryClient.setQueryData<ClientSnapshot>(runQueryKey(runId), (old) =>
          old
            ? {
                ...old,
                tasks: old.tasks.map((task) => (task.id === event.taskId ? { ...task, lastActivity: line, lastActivityAt: event.createdAt } : task)),
              }
            : old,
        );
      }
      if (REFETCH_ON.has(payload.type)) refetch();
    },
    [queryClient, refetch, runId],
  );

  const stream = useRunStream(runId, onEvent);
  return { snapshot: data, events, stream, refetch };
}
