export const HEARTBEAT_STATUSES = ["running", "completed", "failed"] as const;
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

/** `worker_blocked`: a worker checked in `blocked`, and the manager judges it at once. */
export const HEARTBEAT_TRIGGERS = ["schedule", "manual", "worker_blocked"] as const;
export type HeartbeatTrigger = (typeof HEARTBEAT_TRIGGERS)[number];
