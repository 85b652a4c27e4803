export const HEARTBEAT_STATUSES = ["running", "completed", "failed"] as const;
export type HeartbeatStatus = (typeof HEARTBEAT_STATUSES)[number];

export const HEARTBEAT_TRIGGERS = ["schedule", "manual"] as const;
export type HeartbeatTrigger = (typeof HEARTBEAT_TRIGGERS)[number];
