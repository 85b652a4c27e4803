import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { approvals, runs, tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { head } from "../shared/cap";
import { transitionTask } from "../tasks/transition-task";
import type { ManagerApprovalPayload } from "../approvals/payload";
import { withDefaults } from "../runs/settings";
import { addManagerTask, childrenOf, managerActionsSoFar, startManagerFollowUp } from "./manager-actions";
import { enqueue } from "../jobs/enqueue";

/**
 * What a human's approval of a manager proposal does (DESIGN.md §4.8): the
 * wider follow-up or task starts, the task is dropped (cancelled), the extra
 * task is added; a re-plan is the human's to do on the plan. Returns the
 * follow-up's attempt number when one started.
 */
export async function actOnManagerApproval(
  tx: Queryable,
  boss: PgBoss,
  approval: typeof approvals.$inferSelect,
  payload: ManagerApprovalPayload,
  /** The approver's name, for the reasons people read. */
  approvedBy: string,
): Promise<number | null> {
  const { decision } = payload;
  const [task] = approval.taskId ? await tx.select().from(tasks).where(eq(tasks.id, approval.taskId)) : [];
  switch (approval.kind) {
    case "drop_task": {
      if (!task) throw new AppError("state_conflict", "The task to drop is gone.");
      await transitionTask(tx, task.id, "cancelled", { reason: head(`Dropped: ${approvedBy} approved the manager's proposal. ${decision.reason}`, 2000) });
      await enqueue(boss, "run.schedule", { runId: approval.runId }, { tx });
      return null;
    }
    case "scope_widening":
    case "new_task": {
      if (!task) throw new AppError("state_conflict", "The task the manager judged is gone.");
      if (decision.kind === "follow_up") return (await startManagerFollowUp(tx, boss, task, decision, approvedBy)).attempt;
      // The per-parent and per-run caps hold even when a human approves: past them, the human adds work by editing, not by approval.
      const [run] = await tx.select({ settings: runs.settings }).from(runs).where(eq(runs.id, approval.runId));
      const settings = withDefaults(run?.settings ?? {});
      const children = await childrenOf(tx, task.id);
      if (children >= settings.managerNewTaskCap) throw new AppError("state_conflict", `${task.key} already has ${children} of ${settings.managerNewTaskCap} tasks the manager added; decline this one.`);
      const done = await managerActionsSoFar(tx, approval.runId);
      if (done >= settings.managerActionCap) throw new AppError("state_conflict", `The manager has started ${done} of the run's ${settings.managerActionCap} follow-ups and tasks; decline this one.`);
      await addManagerTask(tx, boss, approval.runId, task, decision);
      return null;
    }
    case "replan":
      await appendEvent(tx, {
        runId: approval.runId,
        payload: { type: "run.note", level: "info", message: head(`${approvedBy} agreed the plan needs changing: ${decision.reason} Edit or retry the tasks concerned.`, 4000) },
      });
      return null;
    default:
      throw new AppError("state_conflict", `A ${approval.kind} approval is not the manager's.`);
  }
}
