import { and, asc, eq } from "drizzle-orm";
import { questions, runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { scopeReviewSchema } from "../../lib/plans/schema";
import { answersPrompt, reviewPrompt } from "../../lib/prompts/manager";
import { transitionRun } from "../../lib/runs/transition-run";
import { askManager } from "../manager/ask-manager";
import { loadRunWithRepository } from "../manager/load-run";
import { failRunThatCannotStart, managerCheckout } from "./manager-start";
import { defineJob } from "./types";
import { enqueue } from "../../lib/jobs/enqueue";

/**
 * `run.review`: the manager reviews the scope in a read-only thread in the
 * repository (DESIGN.md §4.2). Questions put the run in `needs_input`; their
 * answers come back into the same thread; a clear scope goes on to planning.
 */
export const runReview = defineJob({
  name: "run.review",
  concurrency: 2,
  async handle(ctx, { runId }) {
    const row = await loadRunWithRepository(ctx.db, runId);
    if (!row || row.run.status !== "reviewing") return; // cancelled, or reviewed already (a retried job)
    const { run, repository } = row;
    const checkout = await managerCheckout(ctx, repository);
    if ("problem" in checkout) return failRunThatCannotStart(ctx.db, runId, "reviewing", checkout.problem);
    const { agents } = checkout;
    await ctx.db.transaction((tx) => appendEvent(tx, { runId, payload: { type: "run.picked_up", queue: "run.review", runnerId: ctx.runnerId } }));
    const answered = await ctx.db
      .select({ text: questions.text, answer: questions.answer })
      .from(questions)
      .where(and(eq(questions.runId, runId), eq(questions.status, "answered")))
      .orderBy(asc(questions.createdAt));
    const prompt =
      run.managerThreadId && answered.length > 0
        ? answersPrompt(answered.map((q) => ({ question: q.text, answer: q.answer ?? "" })))
        : reviewPrompt({ title: run.title, scope: run.scope, baseBranch: repository.baseBranch });
    const answer = await askManager(
      { db: ctx.db, runtime: agents, runnerId: ctx.runnerId, runId, threadId: run.managerThreadId, cwd: checkout.cwd, model: run.settings.model ?? agents.model, prompt },
      scopeReviewSchema,
      "manager_review",
    );

    await ctx.db.transaction(async (tx) => {
      if (answer.threadId) await tx.update(runs).set({ managerThreadId: answer.threadId }).where(eq(runs.id, runId));
      // Race: the run was cancelled while the manager was thinking; its answer no longer matters.
      const [current] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
      if (current?.status !== "reviewing") return;
      if (!answer.ok) {
        await appendEvent(tx, { runId, payload: { type: "run.note", level: "error", message: `The manager could not review the scope: ${answer.error}` } });
        await transitionRun(tx, runId, "failed", { reason: "the scope review failed" });
        return;
      }
      const review = answer.value;
      await tx.update(runs).set({ review }).where(eq(runs.id, runId));
      const asks = review.verdict === "needs_input" ? review.questions : [];
      await appendEvent(tx, {
        runId,
        payload: {
          type: "review.completed",
          verdict: asks.length > 0 ? "needs_input" : "clear",
          questions: asks.length,
          highRisks: review.risks.filter((risk) => risk.severity === "high").length,
          tooBroad: review.tooBroad,
        },
      });
      if (asks.length > 0) {
        const stored = await tx
          .insert(questions)
          .values(asks.map((q) => ({ runId, source: "review" as const, externalId: q.id, text: q.text, why: q.why })))
          .returning({ id: questions.id, text: questions.text });
        for (const question of stored) await appendEvent(tx, { runId, payload: { type: "question.asked", questionId: question.id, text: question.text } });
        await transitionRun(tx, runId, "needs_input", { reason: `${asks.length} question(s) for you` });
        return;
      }
      await transitionRun(tx, runId, "planning", { reason: "scope reviewed" });
      await enqueue(ctx.boss, "run.plan", { runId, comment: null }, { tx });
    });
  },
});
