import { z } from "zod";

/**
 * Events of the manager's loop (DESIGN.md §4.2–4.4, §4.10): review, questions,
 * plan, approval, scheduling holds and the run summary. Part of the one union
 * in ./types.ts. Payloads carry ids and counts; clients re-fetch the snapshot.
 */
const text = (max = 4000) => z.string().max(max);
const count = () => z.number().int().min(0);

export const managerEvents = [
  z.object({
    type: z.literal("review.completed"),
    verdict: z.enum(["clear", "needs_input"]),
    questions: count(),
    highRisks: count(),
    tooBroad: z.boolean(),
  }),
  z.object({ type: z.literal("question.asked"), questionId: z.uuid(), text: text() }),
  z.object({ type: z.literal("question.answered"), questionId: z.uuid(), by: text(200).nullable() }),
  z.object({ type: z.literal("plan.proposed"), tasks: count(), version: count(), problems: z.array(text()).max(20) }),
  z.object({ type: z.literal("plan.edited"), tasks: count(), version: count(), by: text(200).nullable() }),
  z.object({ type: z.literal("plan.approved"), version: count(), by: text(200).nullable() }),
  z.object({ type: z.literal("plan.replan_requested"), comment: text(), by: text(200).nullable() }),
  z.object({ type: z.literal("task.held"), key: text(20), reason: text(500) }),
  z.object({ type: z.literal("run.summary"), summary: text(20_000) }),
  /** One decision of the manager's heartbeat review and what Foreman did with it (lib/heartbeats/apply-review.ts). */
  z.object({
    type: z.literal("manager.decision"),
    heartbeatId: z.uuid(),
    kind: z.enum(["follow_up", "new_task", "ask_human", "propose_drop", "replan", "wait"]),
    taskKey: text(20).nullable(),
    outcome: z.enum(["applied", "awaiting_approval", "refused", "noted"]),
    text: text(),
  }),
] as const;
