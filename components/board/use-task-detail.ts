"use client";

import { useQuery } from "@tanstack/react-query";
import { type ClientTaskDetail, taskDetailQueryKey } from "@/components/run/snapshot";
import { callApi } from "@/components/ui/form";

/**
 * GET /api/tasks/:id for an open drawer. No polling: the page's one socket
 * marks it stale when the task's events arrive (useRunLive), which refetches it.
 */
export function useTaskDetail(taskId: string) {
  return useQuery({
    queryKey: taskDetailQueryKey(taskId),
    queryFn: () => callApi<ClientTaskDetail>(`/api/tasks/${taskId}`),
  });
}
