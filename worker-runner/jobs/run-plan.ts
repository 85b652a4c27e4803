import { eq } from "drizzle-orm";
import { approvals, runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { approvePlan } from "../../lib/plans/decide-plan";
import { type Plan, planSchema } from "../../lib/plans/schema";
import { bumpRunVersion, replaceProposedTasks } from "../../lib/plans/store-plan";
import { describePlanProblem, type PlanProblem, validatePlan } from "../../lib/plans/validate-plan";
import { planPrompt } from "../../lib/prompts/manager";
import { transitionRun } from "../../lib/runs/transition-run";
import { askManager } from "../manager/ask-manager";
import { loadRunWithRepository } from "../manager/load-run";
import { failRunThatCannotStart, managerCheckout } from "./manager-start";
import { defineJob } from "./types";

/**
 * `run.plan`: the manager proposes worker tasks in its thread (DESIGN.md §4.3).
 * A plan with duplicate keys, unknown dependencies or a cycle is sent back
 * once; if it is still wrong it is surfaced to the human and never reaches the
 * scheduler. A valid plan waits for approval unless the run auto-approves and
 * the review found no high risk.
 */
export const runPlan = defineJob({
  name: "run.plan",
  concurrency: 2,
  async handle(ctx, { runId, comment }) {
    const row = await loadRunWithRepository(ctx.db, runId);
    if (!row || row.run.status !== "planning") return;
    const { run, repository } = row;
    const checkout = await managerCheckout(ctx, repository);
    if ("problem" in checkout) return failRunThatCannotStart(ctx.db, runId, "planning", checkout.problem);
    const { agents } = checkout;
    const turn = { db: ctx.db, runtime: agents, runnerId: ctx.runnerId, runId, cwd: checkout.cwd, model: run.settings.model ?? agents.model };

    let threadId = run.managerThreadId;
    let plan: Plan | null = null;
    let problems: PlanProblem[] = [];
    let failure: string | null = null;
    for (let ask = 1; ask <= 2; ask++) {
      const prompt = planPrompt({ concurrency: run.settings.concurrency, comment: ask === 1 ? comment : null, problems: ask === 2 ? problems : [] });
      const answer = await askManager({ ...turn, threadId, prompt }, planSchema, "manager_plan");
      threadId = answer.threadId ?? threadId;
      if (!answer.ok) {
        failure = answer.error;
        break;
      }
      plan = answer.value;
      problems = validatePlan(plan);
      if (problems.length === 0) break;
    }

    const highRisks = run.review?.risks.filter((risk) => risk.severity === "high") ?? [];
    const usable = plan !== null && problems.length === 0 && failure === null;
    const decided = await ctx.db.transaction(async (tx) => {
      if (threadId) await tx.update(runs).set({ managerThreadId: threadId }).where(eq(runs.id, runId));
      // Race: the run was cancelled while the manager was planning; its plan no longer matters.
      const [current] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
      if (current?.status !== "planning") return false;
      if (failure !== null && plan === null) {
        await appendEvent(tx, { runId, payload: { type: "run.note", level: "error", message: `The manager could not plan: ${failure}` } });
        await transitionRun(tx, runId, "failed", { reason: "planning failed" });
        return false;
      }
      await tx.update(runs).set({ plan }).where(eq(runs.id, runId));
      if (usable) await replaceProposedTasks(tx, runId, plan!.tasks);
      const version = await bumpRunVersion(tx, runId);
      const problemText = problems.map(describePlanProblem);
      await appendEvent(tx, { runId, payload: { type: "plan.proposed", tasks: usable ? plan!.tasks.length : 0, version, problems: problemText } });
      const reason = usable
        ? highRisks.length > 0
          ? `The review found a high risk: ${highRisks.map((risk) => risk.text).join(" ")}`
          : "The plan needs a human's approval."
        : `The manager's plan cannot run (${problemText.join(" ")}). Edit the plan or ask for a new one.`;
      await tx.insert(approvals).values({ runId, kind: highRisks.length > 0 ? "risk" : "plan", reason });
      if (!usable) await appendEvent(tx, { runId, payload: { type: "run.note", level: "warning", message: reason } });
      await transitionRun(tx, runId, "awaiting_approval", { reason: usable ? "plan proposed" : "plan needs fixing" });
      return true;
    });
    if (decided && usable && run.settings.autoApprovePlan && highRisks.length === 0) await approvePlan(ctx.db, ctx.boss, runId, null);
  },
});
