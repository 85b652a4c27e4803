import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { questions, runs } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../http/app-error";
import { transitionRun } from "./transition-run";

/**
 * Stores a human's answers. When no question is left open, the run goes back to
 * `reviewing` and the review job resumes the same manager thread with them.
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
    if (run.status !== "needs_input") throw new AppError("state_conflict", `The run is ${run.status.replace("_", " ")}; it has no open questions.`);
    for (const answer of answers) {
      const [row] = await tx
        .update(questions)
        .set({ status: "answered", answer: answer.text, answeredBy: by, answeredAt: sql`now()` })
        .where(and(eq(questions.id, answer.questionId), eq(questions.runId, runId), eq(questions.status, "open")))
        .returning({ id: questions.id });
      if (!row) throw new AppError("state_conflict", `Question ${answer.questionId} is not an open question of this run.`);
      await appendEvent(tx, { runId, payload: { type: "question.answered", questionId: row.id, by } });
    }
    const [{ open } = { open: 0 }] = await tx
      .select({ open: sql<number>`count(*)::int` })
      .from(questions)
      .where(and(eq(questions.runId, runId), eq(questions.status, "open")));
    if (open === 0) {
      await transitionRun(tx, runId, "reviewing", { reason: "questions answered" });
      await boss.send("run.review", { runId }, { db: fromDrizzle(tx, sql) });
    }
    return { stillOpen: open };
  });
}
