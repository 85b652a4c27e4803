import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { questions, reviewComments, runs, tasks } from "../../db/schema";
import { humanAnswerPrompt } from "../prompts/worker";
import { startFollowUp } from "../tasks/start-follow-up";
import { enqueueSync } from "../github/enqueue-sync";
import { isFinalRunStatus } from "./status";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { transitionQuestion } from "../questions/transition-question";
import { transitionRun } from "./transition-run";
import { enqueue } from "../jobs/enqueue";
import { personName } from "../auth/person-label";

/**
 * Stores a human's answers. When no question of the scope review is left
 * open, the run goes back to `reviewing` and the review job resumes the same
 * manager thread with them. An answer to a question raised by a PR comment
 * (an `unclear` one) is posted as the reply on the PR by the next sync. An
 * answer to the manager's question about a blocked task continues that task's
 * worker thread with the answer.
 */
export async function answerQuestions(
  db: Db,
  boss: PgBoss,
  runId: string,
  answers: { questionId: string; text: string }[],
  by: string | null,
): Promise<{ stillOpen: number }> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
    if (!run) throw new AppError("not_found", "No such run.");
    const asked = await tx
      .select({ id: questions.id, source: questions.source, taskId: questions.taskId, text: questions.text })
      .from(questions)
      .where(and(eq(questions.runId, runId), inArray(questions.id, answers.map((answer) => answer.questionId))));
    const fromComments = new Set(asked.filter((question) => question.source === "comment").map((question) => question.id));
    const fromManager = new Map(asked.filter((question) => question.source === "manager").map((question) => [question.id, question]));
    const reviewAnswers = answers.filter((answer) => !fromComments.has(answer.questionId) && !fromManager.has(answer.questionId));
    if (reviewAnswers.length > 0 && run.status !== "needs_input") {
      throw new AppError("state_conflict", `The run is ${run.status.replace("_", " ")}; it has no open questions.`);
    }
    if (fromComments.size > 0 && isFinalRunStatus(run.status)) throw new AppError("state_conflict", `The run is ${run.status}; its PR comments are no longer followed.`);
    if (fromManager.size > 0 && isFinalRunStatus(run.status)) throw new AppError("state_conflict", `The run is ${run.status}; it asks nothing any more.`);
    for (const answer of answers) {
      await transitionQuestion(tx, { id: answer.questionId, runId }, "answered", { by, reason: answer.text });
      await appendEvent(tx, { runId, payload: { type: "question.answered", questionId: answer.questionId, by } });
    }
    // The manager asked for a blocked task: the answer goes to its worker, on its own thread and branch.
    for (const answer of answers) {
      const question = fromManager.get(answer.questionId);
      if (!question?.taskId) continue;
      const [task] = await tx.select({ status: tasks.status, key: tasks.key }).from(tasks).where(eq(tasks.id, question.taskId));
      if (run.status === "running" && task?.status === "blocked") {
        const name = await personName(tx, by);
        await startFollowUp(tx, boss, {
          taskId: question.taskId,
          from: ["blocked"],
          reason: `${name ?? "A human"} answered the manager's question.`,
          followUp: { purpose: "manager", prompt: humanAnswerPrompt({ question: question.text, answer: answer.text, by: name }) },
        });
      } else {
        await appendEvent(tx, {
          runId,
          taskId: question.taskId,
          payload: { type: "run.note", level: "info", message: `The answer is kept; ${task?.key ?? "the task"} is ${task?.status ?? "gone"} and the run ${run.status}, so no follow-up started.` },
        });
      }
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
      await enqueue(boss, "run.review", { runId }, { tx });
    }
    return { stillOpen: open };
  });
}
