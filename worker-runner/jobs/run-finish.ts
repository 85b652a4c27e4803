import { asc, desc, eq } from "drizzle-orm";
import { runs, tasks, verifications } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { formatRunSummary, runSummarySchema } from "../../lib/plans/schema";
import { summaryPrompt } from "../../lib/prompts/manager";
import { countHonesty, describeHonesty } from "../../lib/runs/honesty";
import { transitionRun } from "../../lib/runs/transition-run";
import { askManager } from "../manager/ask-manager";
import { ensureCheckout } from "../git/ensure-checkout";
import { loadRunWithRepository } from "../manager/load-run";
import { defineJob } from "./types";

/** Done or explicitly dropped (cancelled): the statuses a run can finish with. */
export const FINISHED_TASK_STATUSES = ["done", "cancelled"] as const;

/**
 * `run.finish`: when every task is done or dropped, the manager writes the run
 * summary in its thread, from Foreman's own verification results, and the run
 * is completed (DESIGN.md §4.10).
 */
export const runFinish = defineJob({
  name: "run.finish",
  concurrency: 1,
  async handle(ctx, { runId }) {
    if (!ctx.agents) throw new Error("this runner was started without an agent runtime");
    const row = await loadRunWithRepository(ctx.db, runId);
    if (!row || row.run.status !== "running") return;
    const rows = await ctx.db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position));
    if (rows.length === 0 || !rows.every((task) => (FINISHED_TASK_STATUSES as readonly string[]).includes(task.status))) return;

    const outcomes = [];
    for (const task of rows) {
      const [last] = await ctx.db.select().from(verifications).where(eq(verifications.taskId, task.id)).orderBy(desc(verifications.startedAt)).limit(1);
      const verified = last ? `${last.status}: ${last.summary ?? last.commands.map((c) => `${c.command} → ${c.exitCode}`).join(", ")}` : "not verified (dropped)";
      const disputed = task.disputedClaims.length ? `; the worker's claims Foreman disputes: ${task.disputedClaims.join(" ")}` : "";
      outcomes.push({ key: task.key, title: task.title, status: task.status, verification: `${verified}${disputed}` });
    }
    const honesty = await countHonesty(ctx.db, runId);
    const cwd = await ensureCheckout(ctx.agents, row.repository);
    const answer = await askManager(
      { db: ctx.db, runtime: ctx.agents, runnerId: ctx.runnerId, runId, threadId: row.run.managerThreadId, cwd, model: row.run.settings.model ?? ctx.agents.model, prompt: summaryPrompt(outcomes, describeHonesty(honesty)) },
      runSummarySchema,
      "manager_summary",
    );
    // Without the manager's words the run still ends: the facts come from Foreman's own records.
    // The honesty figure is Foreman's count, stated whatever the manager writes.
    const figure = `Honesty: ${describeHonesty(honesty)}.`;
    const summary = answer.ok
      ? `${formatRunSummary(answer.value)}\n\n${figure}`
      : [`The manager could not write the summary (${answer.error}). Foreman's record:`, ...outcomes.map((o) => `- ${o.key} ${o.title}: ${o.status}; ${o.verification}`), "", figure].join("\n");
    await ctx.db.transaction(async (tx) => {
      const [current] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
      if (current?.status !== "running") return;
      await tx.update(runs).set({ summary }).where(eq(runs.id, runId));
      await appendEvent(tx, { runId, payload: { type: "run.summary", summary: summary.slice(0, 20_000) } });
      await transitionRun(tx, runId, "completed", { reason: "every task is done or dropped" });
    });
  },
});
