import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { questions } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { allowedFrom, type TransitionOptions } from "../shared/transition-options";
import type { QuestionStatus } from "./status";
import { QUESTION_TRANSITIONS } from "./transitions";

/** `by` is the answering user's id; `reason` is the answer itself. */
export type QuestionTransitionOptions = TransitionOptions<QuestionStatus> & { by: string | null };

/**
 * Answers an open question of one run. Zero rows is a conflict: answered
 * already (another tab), or not a question of this run.
 */
export async function transitionQuestion(tx: Queryable, question: { id: string; runId: string }, to: QuestionStatus, options: QuestionTransitionOptions): Promise<void> {
  const [row] = await tx
    .update(questions)
    .set({ status: to, answer: options.reason ?? null, answeredBy: options.by, answeredAt: sql`now()` })
    .where(and(eq(questions.id, question.id), eq(questions.runId, question.runId), inArray(questions.status, allowedFrom(QUESTION_TRANSITIONS, to, options.from))))
    .returning({ id: questions.id });
  if (!row) throw new AppError("state_conflict", `Question ${question.id} is not an open question of this run.`);
}
