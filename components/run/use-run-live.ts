"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { callApi } from "@/components/ui/form";
import { describeEvent } from "@/lib/events/describe";
import { parseEventPayload, type RunEvent } from "@/lib/events/types";
import { TASK_STATUS_RANK } from "@/lib/tasks/status";
import { announceMoment } from "./moment-alerts";
import { type ClientSnapshot, runQueryKey, TASK_DETAIL_QUERY, taskDetailQueryKey } from "./snapshot";
import { useRunStream } from "./use-run-stream";

const MAX_EVENTS = 2000;
const REFETCH_DEBOUNCE_MS = 250;
const DETAIL_DEBOUNCE_MS = 400;

/** A worker's stream of check-ins: shown live from the event itself; the task's detail (reports, diff, PR) does not change with them. */
const LIVE_ONLY = new Set([
  "agent.command_started",
  "agent.command_finished",
  "agent.file_changed",
  "agent.todo_list",
  "agent.reasoning",
  "agent.message",
  "agent.tool_call",
]);

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
  "manager.decision",
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
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
    if (detailTimer.current) clearTimeout(detailTimer.current);
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
      announceMoment(event, payload, snapshot);
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
      // Run-wide events (a heartbeat's PR sync, a status change) may touch any task's detail.
      if (!LIVE_ONLY.has(payload.type) && !(event.taskId === null && payload.type.startsWith("agent."))) invalidateDetail(event.taskId);
    },
    [invalidateDetail, queryClient, refetch, runId],
  );

  const stream = useRunStream(runId, onEvent);
  return { snapshot: data, events, stream, refetch };
}
