import type { TaskStatus } from "./status";

/**
 * Allowed "from" states for each target task state. Every task status write is
 * `UPDATE … WHERE status = ANY(from)`; zero rows is a conflict (DESIGN.md §3).
 */
export const TASK_TRANSITIONS = {
  waiting: ["ready", "blocked", "failed"],
  ready: ["waiting", "blocked", "failed", "needs_review"],
  running: ["ready", "verifying", "needs_review", "blocked"],
  verifying: ["running"],
  needs_review: ["verifying"],
  blocked: ["waiting", "ready", "running", "verifying", "needs_review"],
  done: ["verifying", "needs_review", "blocked"],
  failed: ["ready", "running", "verifying"],
  cancelled: ["waiting", "ready", "running", "verifying", "needs_review", "blocked"],
} as const satisfies Record<TaskStatus, readonly TaskStatus[]>;

export function allowedTaskFrom(to: TaskStatus): readonly TaskStatus[] {
  return TASK_TRANSITIONS[to];
}

/** Whether a task in `from` may become `to` (the same table the guarded write uses). */
export function canTransitionTask(from: TaskStatus, to: TaskStatus): boolean {
  return (TASK_TRANSITIONS[to] as readonly TaskStatus[]).includes(from);
}
