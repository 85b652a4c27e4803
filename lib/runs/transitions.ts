import { RUN_STATUSES, type RunStatus } from "./status";

const NON_FINAL = RUN_STATUSES.filter((s) => s !== "completed" && s !== "cancelled" && s !== "failed");

/**
 * Allowed "from" states for each target state (DESIGN.md §3). Every run status
 * write is guarded by this table in SQL; zero rows updated is a conflict.
 */
export const RUN_TRANSITIONS = {
  reviewing: ["needs_input"],
  needs_input: ["reviewing"],
  planning: ["reviewing", "awaiting_approval"],
  awaiting_approval: ["planning"],
  running: ["awaiting_approval", "paused"],
  paused: ["running"],
  completed: ["running"],
  cancelled: NON_FINAL,
  failed: NON_FINAL,
} as const satisfies Record<RunStatus, readonly RunStatus[]>;

export function canMoveRun(from: RunStatus, to: RunStatus): boolean {
  return (RUN_TRANSITIONS[to] as readonly RunStatus[]).includes(from);
}
