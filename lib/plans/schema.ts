import { z } from "zod";
import { scopeGlobSchema } from "../tasks/scope-glob";
import { TASK_KINDS } from "../tasks/status";

/**
 * The manager's answers (DESIGN.md §5). Field names are a contract; optional
 * values are null, never absent, because the model answers in strict JSON mode.
 * Model output is untrusted: sizes are capped here.
 */
const line = (max = 2000) => z.string().trim().min(1).max(max);

export const scopeReviewSchema = z
  .object({
    verdict: z.enum(["clear", "needs_input"]),
    summary: line(4000),
    risks: z.array(z.object({ severity: z.enum(["low", "medium", "high"]), text: line() }).strict()).max(20),
    questions: z.array(z.object({ id: line(40), text: line(), why: line() }).strict()).max(10),
    tooBroad: z.boolean(),
    collisionRisks: z.array(line()).max(20),
  })
  .strict();
export type ScopeReview = z.infer<typeof scopeReviewSchema>;

export const TASK_KEY = /^T\d{1,3}$/;

export const planTaskSchema = z
  .object({
    key: z.string().regex(TASK_KEY, { message: "task keys are T1, T2, …" }),
    title: line(200),
    kind: z.enum(TASK_KINDS),
    goal: line(20_000),
    /** Globs held to SCOPE_GLOB_LIMITS (lib/tasks/scope-glob.ts). */
    scope: z.array(scopeGlobSchema).min(1).max(50),
    definitionOfDone: z.array(line()).min(1).max(30),
    verification: z.object({ commands: z.array(line(1000)).max(20), manual: z.string().max(4000).nullable() }).strict(),
    dependsOn: z.array(z.string().regex(TASK_KEY)).max(50),
  })
  .strict();
export type PlanTask = z.infer<typeof planTaskSchema>;

export const planSchema = z
  .object({
    tasks: z.array(planTaskSchema).min(1).max(100),
    heartbeatPlan: line(4000),
    verificationPlan: line(4000),
    firstAction: line(4000),
  })
  .strict();
export type Plan = z.infer<typeof planSchema>;

/** The manager's closing summary of a run (DESIGN.md §4.10). */
export const runSummarySchema = z
  .object({
    summary: line(8000),
    verification: line(4000),
    openIssues: z.array(line()).max(30),
    nextActions: z.array(line()).max(30),
  })
  .strict();
export type RunSummary = z.infer<typeof runSummarySchema>;

/** The summary as the run page and API show it (plain text). */
export function formatRunSummary(summary: RunSummary): string {
  const list = (title: string, items: string[]) => (items.length ? [`${title}:`, ...items.map((item) => `- ${item}`)] : []);
  return [summary.summary, "", `Verification: ${summary.verification}`, ...list("Open issues", summary.openIssues), ...list("Next actions", summary.nextActions)].join("\n");
}
