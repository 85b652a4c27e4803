import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runs, tasks } from "../../db/schema";
import { AppError } from "../errors/app-error";
import type { PlanTask } from "./schema";
import { describePlanProblem, validatePlan } from "./validate-plan";

/**
 * Replaces a run's proposed tasks with `planTasks` (all `waiting`). Only while
 * the plan is not approved: tasks that already started are never rewritten.
 */
export async function replaceProposedTasks(tx: Queryable, runId: string, planTasks: PlanTask[]): Promise<void> {
  const problems = validatePlan({ tasks: planTasks });
  if (problems.length > 0) throw new AppError("validation_failed", problems.map(describePlanProblem).join(" "));
  const [started] = await tx
    .select({ key: tasks.key })
    .from(tasks)
    .where(and(eq(tasks.runId, runId), sql`${tasks.status} <> 'waiting'`))
    .limit(1);
  if (started) throw new AppError("state_conflict", `Task ${started.key} has started; the plan can no longer be replaced.`);
  await tx.delete(tasks).where(eq(tasks.runId, runId));
  await tx.insert(tasks).values(
    planTasks.map((task, position) => ({
      runId,
      key: task.key,
      title: task.title,
      kind: task.kind,
      goal: task.goal,
      scope: task.scope,
      definitionOfDone: task.definitionOfDone,
      verification: task.verification,
      dependsOn: task.dependsOn,
      status: "waiting" as const,
      position,
    })),
  );
}

/** Bumps the run's version so an edit made against an older proposal is refused. */
export async function bumpRunVersion(tx: Queryable, runId: string): Promise<number> {
  const [row] = await tx.update(runs).set({ version: sql`${runs.version} + 1` }).where(eq(runs.id, runId)).returning({ version: runs.version });
  if (!row) throw new AppError("not_found", "No such run.");
  return row.version;
}
