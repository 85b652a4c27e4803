import { assertNever } from "../shared/assert-never";

/** Task states (DESIGN.md §3). The pgEnum and the board are built from this list. */
export const TASK_STATUSES = [
  "waiting",
  "ready",
  "running",
  "verifying",
  "needs_review",
  "blocked",
  "done",
  "failed",
  "cancelled",
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_KINDS = ["code", "tests", "docs", "research", "ui"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Board columns (contract, DESIGN.md §3), in display order. */
export const BOARD_COLUMNS = ["Waiting", "Running", "Verifying", "Needs review", "Blocked", "Done"] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

export function boardColumn(status: TaskStatus): BoardColumn {
  switch (status) {
    case "waiting":
      return "Waiting";
    case "ready":
    case "running":
      return "Running";
    case "verifying":
      return "Verifying";
    case "needs_review":
      return "Needs review";
    case "blocked":
      return "Blocked";
    case "done":
    case "failed":
    case "cancelled":
      return "Done";
    default:
      return assertNever(status, "task status");
  }
}

/** Failed and cancelled cards sit in Done, struck through. */
export function isStruckThrough(status: TaskStatus): boolean {
  return status === "failed" || status === "cancelled";
}

/**
 * Progress rank within one attempt: a late or out-of-order event never moves a
 * card to a lower rank. A follow-up moves a task back to running under a
 * higher attempt number, so positions compare as (attempt, rank).
 */
export const TASK_STATUS_RANK: Record<TaskStatus, number> = {
  waiting: 0,
  ready: 1,
  running: 2,
  verifying: 3,
  needs_review: 4,
  blocked: 4,
  done: 5,
  failed: 5,
  cancelled: 5,
};

/** A task's place in its life: attempt number first, then the status's rank within the attempt. */
export type TaskPosition = { attempt: number; status: TaskStatus };

/** Whether `next` is later than `current` (hatchet's rule: apply only forward moves). */
export function isLaterTaskPosition(next: TaskPosition, current: TaskPosition): boolean {
  if (next.attempt !== current.attempt) return next.attempt > current.attempt;
  return TASK_STATUS_RANK[next.status] > TASK_STATUS_RANK[current.status];
}
