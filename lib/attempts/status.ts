/** One Codex thread executing a task (DESIGN.md §3). */
export const ATTEMPT_STATUSES = [
  "starting",
  "running",
  "interrupted",
  "completed",
  "failed",
  "abandoned",
] as const;

export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
