import { z } from "zod";
import { toStrictJsonSchema } from "../reports/strict-json-schema";
import { scopeGlobSchema } from "../tasks/scope-glob";

/**
 * What the manager returns when a heartbeat has something to judge
 * (DESIGN.md §4.8, §5). Field names are a contract; optional values are
 * `null`. Model output is untrusted: the limits apply when parsing, and code
 * applies the decisions within caps (./apply-review.ts).
 */
const text = (max: number) => z.string().max(max);

export const HEARTBEAT_DECISION_KINDS = ["follow_up", "new_task", "ask_human", "propose_drop", "replan", "wait"] as const;

export const heartbeatDecisionSchema = z
  .object({
    kind: z.enum(HEARTBEAT_DECISION_KINDS),
    /** The task judged (T1…), or null for the run as a whole. */
    taskKey: text(20).nullable(),
    reason: text(4000),
    /** follow_up: what the worker does next on its thread; new_task: the new task's goal. */
    goal: text(20_000).nullable(),
    scope: z.array(scopeGlobSchema).max(50),
    definitionOfDone: z.array(text(1000)).max(30),
    verification: z.object({ commands: z.array(text(2000)).max(20), manual: text(4000).nullable() }).strict().nullable(),
    dependsOn: z.array(text(20)).max(20),
    /** ask_human: the question. */
    question: text(4000).nullable(),
  })
  .strict();
export type HeartbeatReviewDecision = z.infer<typeof heartbeatDecisionSchema>;

export const heartbeatReviewSchema = z
  .object({
    summary: text(8000),
    decisions: z.array(heartbeatDecisionSchema).max(20),
  })
  .strict();
export type HeartbeatReview = z.infer<typeof heartbeatReviewSchema>;

/** The JSON Schema handed to Codex as `outputSchema`. */
export const heartbeatReviewJsonSchema = toStrictJsonSchema(heartbeatReviewSchema);
