export const VERIFICATION_STATUSES = ["running", "passed", "failed", "error"] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];
