import { z } from "zod";
import { planTaskSchema } from "./schema";

/**
 * A human's edit of a proposed plan (POST /api/runs/:id/plan): the whole task
 * list as it should be. Tasks left out are dropped; changed goals, scopes,
 * dependencies and definitions of done replace the manager's.
 */
export const planEditInput = z
  .object({
    tasks: z.array(planTaskSchema).min(1).max(100),
    /** The plan version the human edited: a newer proposal meanwhile is a conflict. */
    version: z.number().int().min(0),
  })
  .strict();
export type PlanEdit = z.infer<typeof planEditInput>;

export const answersInput = z
  .object({
    answers: z
      .array(z.object({ questionId: z.uuid(), text: z.string().trim().min(1).max(8000) }).strict())
      .min(1)
      .max(20),
  })
  .strict();

export const replanInput = z.object({ comment: z.string().trim().min(1).max(4000) }).strict();
