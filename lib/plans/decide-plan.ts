import "server-only";
import { asc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db, Queryable } from "../../db/client";
import { runs, tasks } from "../../db/schema";
import { transitionApproval } from "../approvals/transition-approval";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { transitionRun } from "../runs/transition-run";
import type { PlanEdit } from "./edit";
import { bumpRunVersion, replaceProposedTasks } from "./store-plan";
import { describePlanProblem, validatePlan } from "./validate-plan";
import { enqueue } from "../jobs/enqueue";

/** Locks the run and checks it waits for plan approval at the version the human saw. */
async function lockAwaitingRun(tx: Queryable, runId: string, version?: number) {
  const [run] = await tx.select({ status: runs.status, version: runs.version, plan: runs.plan }).from(runs).where(eq(runs.id, runId)).for("no key update");
  if (!run) throw new AppError("not_found", "No such run.");
  if (run.status !== "awaiting_approval") {
    throw new AppError("state_conflict", `The run is ${run.status.replace("_", " ")}; its plan is not waiting for approval.`);
  }
  // Race: the manager proposed a new plan while the human edited the old one.
  if (version !== undefined && version !== run.version) {
    throw new AppError("state_conflict", "The plan changed since you opened it; reload to see the new one.");
  }
  return run;
}

/** The human's edit replaces the proposed tasks; the result must still be a valid plan. */
export async function editPlan(db: Db, runId: string, edit: PlanEdit, by: string | null) {
  return db.transaction(async (tx) => {
    const run = await lockAwaitingRun(tx, runId, edit.version);
    await replaceProposedTasks(tx, runId, edit.tasks);
    const plan = { ...(run.plan ?? { heartbeatPlan: "", verificationPlan: "", firstAction: "" }), tasks: edit.tasks };
    await tx.update(runs).set({ plan }).where(eq(runs.id, runId));
    const version = await bumpRunVersion(tx, runId);
    await appendEvent(tx, { runId, payload: { type: "plan.edited", tasks: edit.tasks.length, version, by } });
    return { version };
  });
}

/** The approvals a proposed plan waits on: the plan itself, or the plan after a high-risk review. */
const PLAN_GATES = ["plan", "risk"] as const;

/** Approval starts the run: nothing runs before it (DESIGN.md §4.3). */
export async function approvePlan(db: Db, boss: PgBoss, runId: string, by: string | null, version?: number) {
  return db.transaction(async (tx) => {
    const run = await lockAwaitingRun(tx, runId, version);
    const rows = await tx.select({ key: tasks.key, dependsOn: tasks.dependsOn }).from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position));
    if (rows.length === 0) throw new AppError("state_conflict", "The plan has no tasks; edit it or ask for a new plan.");
    const problems = validatePlan({ tasks: rows });
    if (problems.length > 0) throw new AppError("state_conflict", `The plan cannot run: ${problems.map(describePlanProblem).join(" ")}`);
    // Race: the plan's approval was decided elsewhere (another tab, a re-plan) since the run was read: a conflict.
    await transitionApproval(tx, { runId, kinds: PLAN_GATES }, "approved", { by });
    await transitionRun(tx, runId, "running", { reason: "plan approved" });
    await appendEvent(tx, { runId, payload: { type: "plan.approved", version: run.version, by } });
    await enqueue(boss, "run.schedule", { runId }, { tx });
  });
}

/** "Re-plan": back to the manager with the human's comment, in the same thread. */
export async function requestReplan(db: Db, boss: PgBoss, runId: string, comment: string, by: string | null) {
  return db.transaction(async (tx) => {
    await lockAwaitingRun(tx, runId);
    await transitionApproval(tx, { runId, kinds: PLAN_GATES }, "rejected", { by, reason: comment });
    await transitionRun(tx, runId, "planning", { reason: "re-plan requested" });
    await appendEvent(tx, { runId, payload: { type: "plan.replan_requested", comment, by } });
    await enqueue(boss, "run.plan", { runId, comment }, { tx });
  });
}
