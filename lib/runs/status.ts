/** Run states (DESIGN.md §3). The pgEnum and the UI are built from this list. */
export const RUN_STATUSES = [
  "reviewing",
  "needs_input",
  "planning",
  "awaiting_approval",
  "running",
  "paused",
  "completed",
  "cancelled",
  "failed",
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export const FINAL_RUN_STATUSES = ["completed", "cancelled", "failed"] as const satisfies readonly RunStatus[];

export function isFinalRunStatus(status: RunStatus): boolean {
  return (FINAL_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** The reason a budget pause carries (lib/runs/token-budget.ts); raising the budget resumes only runs paused for it. */
export const BUDGET_PAUSE_REASON = "token budget reached";
