import type { ApprovalStatus } from "./status";

/** Allowed "from" states per target: an approval is decided once (DESIGN.md §3). */
export const APPROVAL_TRANSITIONS = {
  pending: [],
  approved: ["pending"],
  rejected: ["pending"],
} as const satisfies Record<ApprovalStatus, readonly ApprovalStatus[]>;
