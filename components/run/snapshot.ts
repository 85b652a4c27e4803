import type { RunSnapshot } from "@/lib/runs/get-snapshot";
import type { TaskDetail } from "@/lib/tasks/get-task-detail";

/** What JSON makes of a value: dates become ISO strings. */
export type Serialized<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Serialized<U>[]
    : T extends object
      ? { [K in keyof T]: Serialized<T[K]> }
      : T;

type SerializedSnapshot = Serialized<RunSnapshot>;

/**
 * A run snapshot as the browser holds it (GET /api/runs/:id, or the page's
 * props). The page leaves out the scope (up to 200 KB): the server renders it
 * once, and nothing in the browser reads it.
 */
export type ClientSnapshot = Omit<SerializedSnapshot, "run"> & { run: Omit<SerializedSnapshot["run"], "scope"> & { scope?: string } };
export type ClientRun = ClientSnapshot["run"];
export type ClientTask = ClientSnapshot["tasks"][number];
export type ClientAttempt = ClientTask["attempts"][number];
export type ClientQuestion = ClientSnapshot["questions"][number];
export type ClientApproval = ClientSnapshot["approvals"][number];
export type ClientHeartbeat = ClientSnapshot["heartbeats"][number];

/** GET /api/tasks/:id as the browser holds it. */
export type ClientTaskDetail = Serialized<TaskDetail>;

export const runQueryKey = (runId: string) => ["run", runId] as const;
export const TASK_DETAIL_QUERY = "task";
export const taskDetailQueryKey = (taskId: string) => [TASK_DETAIL_QUERY, taskId] as const;
