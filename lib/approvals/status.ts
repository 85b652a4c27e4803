export const APPROVAL_STATUSES = ["pending", "approved", "rejected"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * The places where Foreman stops and waits for a human (DESIGN.md §4).
 * `drop_task`, `replan` and `new_task` come from the manager's heartbeat
 * review: dropping work, re-planning, or adding more tasks than a review may.
 */
export const APPROVAL_KINDS = ["plan", "risk", "architecture", "scope_widening", "drop_task", "replan", "new_task"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Approvals a human decides one by one on the board (POST /api/approvals/:id); plan and risk go through approve / re-plan. A merge is a human's action on the task (lib/tasks/merge-decision.ts), never an approval row. */
export const DECIDED_ONE_BY_ONE: readonly ApprovalKind[] = ["architecture", "scope_widening", "drop_task", "new_task", "replan"];
