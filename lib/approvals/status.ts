export const APPROVAL_STATUSES = ["pending", "approved", "rejected"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** The places where Foreman stops and waits for a human (DESIGN.md §4). */
export const APPROVAL_KINDS = ["plan", "risk", "architecture", "scope_widening", "merge"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
