import type { VerificationStatus } from "./status";

/** Allowed "from" states per target: a verification finishes once. */
export const VERIFICATION_TRANSITIONS = {
  running: [],
  passed: ["running"],
  failed: ["running"],
  error: ["running"],
} as const satisfies Record<VerificationStatus, readonly VerificationStatus[]>;
