import type { HeartbeatReviewDecision } from "../heartbeats/heartbeat-review";

/** An approval created from a heartbeat decision: acted on once a human approves. */
export type ManagerApprovalPayload = { source: "heartbeat"; heartbeatId: string; decision: HeartbeatReviewDecision };

/** An approval for a design change a reviewer asked for on a PR. */
export type CommentApprovalPayload = { commentId: string; followUpGoal: string | null };

/** What `approvals.payload` holds (null for plan, risk and merge approvals). Only Foreman writes it. */
export type ApprovalPayload = ManagerApprovalPayload | CommentApprovalPayload;

export const isManagerApproval = (payload: ApprovalPayload | null): payload is ManagerApprovalPayload => payload !== null && "source" in payload;
