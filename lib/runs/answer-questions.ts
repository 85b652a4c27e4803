import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { questions, reviewComments, runs } from "../../db/schema";
import { enqueueSync } from "../github/enqueue-sync";
import { isFinalRunStatus } from "./status";
import { appendEvent } from "../events/append-event";
import { AppError } from "../http/app-error";
import { transitionRun } from "./transition-run";

/**
 * Stores a human's answers. When no question of the scope review is left
 * open, the run goes back to `reviewing` and the review job resumes the same
 * manager thread with them. An answer to a question raised by a PR comment
 * (an `unclear` one) is posted as the reply on the PR by the next sync.
 */
export async function answerQuestions(
  db: Db,
  boss: PgBoss,
  runId: string,
  answers: { questionId: string; text: string }[],
  by: string | null,
): Promise<{ stillOpen: number }> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("update");
    if (!run) throw new AppError("not_found", "No such run.");
    const asked = await tx
      .select({ id: questions.id, source: questions.source })
      .from(questions)
      .where(and(eq(questions.runId, runId), inArray(questions.id, answers.map((answer) => answer.questionId))));
    const fromComments = new Set(asked.filter((question) => question.source === "comment").map((question) => question.id));
    const reviewAnswers = answers.filter((answer) => !fromComments.has(answer.questionId));
    if (reviewAnswers.length > 0 && run.status !== "needs_input") {
      throw new AppError("state_conflict", `The run is ${run.status.replace("_", " ")}; it has no open questions.`);
    }
    if (fromComments.size > 0 && isFinalRunStatus(run.status)) throw new AppError("state_conflict", `The run is ${run.status}; its PR comments are no longer followed.`);
    for (const answer of answers) {
      const [row] = await tx
        .update(questions)
        .set({ status: "answered", answer: answer.text, answeredBy: by, answeredAt: sql`now()` })
        .where(and(eq(questions.id, answer.questionId), eq(questions.runId, runId), eq(questions.status, "open")))
        .returning({ id: questions.id });
      if (!row) throw new AppError("state_conflict", `Question ${answer.questionId} is not an open question of this run.`);
      await appendEvent(tx, { runId, payload: { type: "question.answered", questionId: row.id, by } });
    }
    if (fromComments.size > 0) {
      const commented = await tx
        .selectDistinct({ pullRequestId: reviewComments.pullRequestId })
        .from(reviewComments)
        .where(inArray(reviewComments.questionId, [...fromComments]));
      for (const row of commented) await enqueueSync(boss, row.pullRequestId, "answer", { tx });
    }
    const [{ open } = { open: 0 }] = await tx
      .select({ open: sql<number>`count(*)::int` })
      .from(questions)
      .where(and(eq(questions.runId, runId), eq(questions.status, "open"), eq(questions.source, "review")));
    if (open === 0 && reviewAnswers.length > 0) {
      await transitionRun(tx, runId, "reviewing", { reason: "questions answered" });
      await boss.send("run.review", { runId }, { db: fromDrizzle(tx, sql) });
    }
    return { stillOpen: open };
  });
}
