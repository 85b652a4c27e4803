import { z } from "zod";

/**
 * The manager's review of a `docs` or `research` task (DESIGN.md §4.6):
 * sources checked, claims the work does not support, an editorial pass, and a
 * verdict. Stored before the task waits for a human; model output, so parsed strictly.
 */
const text = (max: number) => z.string().max(max);

export const TASK_REVIEW_VERDICTS = ["approve", "revise"] as const;

export const taskReviewSchema = z
  .object({
    verdict: z.enum(TASK_REVIEW_VERDICTS),
    sourcesChecked: z.array(text(1000)).max(100),
    unsupportedClaims: z.array(text(2000)).max(100),
    editorialIssues: z.array(text(2000)).max(100),
    summary: text(8000),
  })
  .strict();

export type TaskReview = z.infer<typeof taskReviewSchema>;

