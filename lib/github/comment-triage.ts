import { z } from "zod";
import { COMMENT_CATEGORIES } from "./status";

/** CommentTriage (DESIGN.md §5): the manager's reading of new review comments. */
export const commentTriageSchema = z
  .object({
    items: z
      .array(
        z
          .object({
            commentId: z.string().max(100),
            category: z.enum(COMMENT_CATEGORIES),
            action: z.string().max(2000),
            followUpGoal: z.string().max(4000).nullable(),
          })
          .strict(),
      )
      .max(100),
  })
  .strict();

export type CommentTriage = z.infer<typeof commentTriageSchema>;

/** bug, style, test_request, documentation → a follow-up; architecture → a human's approval; unclear → a question. */
export function routeFor(category: CommentTriage["items"][number]["category"]): "follow_up" | "approval" | "question" {
  if (category === "architecture") return "approval";
  if (category === "unclear") return "question";
  return "follow_up";
}
