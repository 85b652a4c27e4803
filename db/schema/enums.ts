import { pgEnum } from "drizzle-orm/pg-core";
import { APPROVAL_KINDS, APPROVAL_STATUSES } from "../../lib/approvals/status";
import { ATTEMPT_STATUSES } from "../../lib/attempts/status";
import { CI_STATES, COMMENT_CATEGORIES, COMMENT_KINDS, PULL_REQUEST_STATES } from "../../lib/github/status";
import { HEARTBEAT_STATUSES, HEARTBEAT_TRIGGERS } from "../../lib/heartbeats/status";
import { QUESTION_SOURCES, QUESTION_STATUSES } from "../../lib/questions/status";
import { RUN_STATUSES } from "../../lib/runs/status";
import { TASK_KINDS, TASK_STATUSES } from "../../lib/tasks/status";
import { VERIFICATION_STATUSES } from "../../lib/verifications/status";

// Each enum is built from the one `as const` list in lib/, so the copies cannot drift.
export const runStatus = pgEnum("run_status", RUN_STATUSES);
export const taskStatus = pgEnum("task_status", TASK_STATUSES);
export const taskKind = pgEnum("task_kind", TASK_KINDS);
export const attemptStatus = pgEnum("attempt_status", ATTEMPT_STATUSES);
export const questionStatus = pgEnum("question_status", QUESTION_STATUSES);
export const questionSource = pgEnum("question_source", QUESTION_SOURCES);
export const approvalStatus = pgEnum("approval_status", APPROVAL_STATUSES);
export const approvalKind = pgEnum("approval_kind", APPROVAL_KINDS);
export const heartbeatStatus = pgEnum("heartbeat_status", HEARTBEAT_STATUSES);
export const heartbeatTrigger = pgEnum("heartbeat_trigger", HEARTBEAT_TRIGGERS);
export const verificationStatus = pgEnum("verification_status", VERIFICATION_STATUSES);
export const pullRequestState = pgEnum("pull_request_state", PULL_REQUEST_STATES);
export const ciState = pgEnum("ci_state", CI_STATES);
export const commentCategory = pgEnum("comment_category", COMMENT_CATEGORIES);
export const commentKind = pgEnum("comment_kind", COMMENT_KINDS);
