import type { HeartbeatStatus } from "./status";

/** Allowed "from" states per target: a heartbeat ends once. */
export const HEARTBEAT_TRANSITIONS = {
  running: [],
  completed: ["running"],
  failed: ["running"],
} as const satisfies Record<HeartbeatStatus, readonly HeartbeatStatus[]>;
