import type { TaskStatus } from "./status";

/** What a person may do with a task (DESIGN.md §8, `/api/tasks/:id/<action>`). */
export const TASK_ACTIONS = ["accept", "reject", "retry", "merge"] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * The task statuses each action starts from: the routes refuse the others
 * (409) and the drawer offers only these. A merge also depends on the pull
 * request (lib/tasks/merge-decision.ts) or on a local branch.
 */
export const TASK_ACTION_FROM = {
  accept: ["needs_review"],
  reject: ["needs_review"],
  retry: ["blocked", "failed"],
  merge: ["needs_review", "done"],
} as const satisfies Record<TaskAction, readonly TaskStatus[]>;

export function taskActionAllowed(action: TaskAction, status: TaskStatus): boolean {
  return (TASK_ACTION_FROM[action] as readonly TaskStatus[]).includes(status);
}

/** A person's reason or note sent with an action (reject, approval decisions): at most this many characters. */
export const HUMAN_NOTE_MAX = 4000;
