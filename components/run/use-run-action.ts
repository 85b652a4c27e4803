"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { runQueryKey, taskDetailQueryKey } from "./snapshot";

/**
 * Every person's action on a run page goes through here: one mutation at a
 * time per control, its error as text, and on success the run's snapshot (and
 * the task's detail, when the action is on a task) is read again, so the page
 * shows the outcome without waiting for the events that report it.
 */
export function useRunAction<Input = void, Result = unknown>(
  runId: string,
  action: (input: Input) => Promise<Result>,
  options: { taskId?: string; onSuccess?: (result: Result, input: Input) => void } = {},
) {
  const queryClient = useQueryClient();
  const { taskId, onSuccess } = options;
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: async (result, input) => {
      onSuccess?.(result, input);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: runQueryKey(runId) }),
        taskId ? queryClient.invalidateQueries({ queryKey: taskDetailQueryKey(taskId) }) : null,
      ]);
    },
  });
  const { mutateAsync, reset } = mutation;
  /** Runs the action; a failure is shown through `error`, never thrown at the caller. */
  const run = useCallback(
    (input: Input) =>
      mutateAsync(input).then(
        () => true,
        () => false,
      ),
    [mutateAsync],
  );
  return { run, reset, busy: mutation.isPending, error: mutation.error ? mutation.error.message : null };
}
