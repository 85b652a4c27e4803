import type { AttemptStatus } from "./status";

/** Allowed "from" states per target; runner writes also fence on the attempt number. */
export const ATTEMPT_TRANSITIONS = {
  starting: [],
  running: ["starting", "interrupted"],
  interrupted: ["starting", "running"],
  completed: ["running"],
  failed: ["starting", "running", "interrupted"],
  abandoned: ["starting", "running", "interrupted"],
} as const satisfies Record<AttemptStatus, readonly AttemptStatus[]>;
