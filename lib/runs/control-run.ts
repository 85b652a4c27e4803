import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db, Queryable } from "../../db/client";
import { approvals, attempts, tasks } from "../../db/schema";
import { APPROVAL_KINDS } from "../approvals/status";
import { transitionApproval } from "../approvals/transition-approval";
import { byPerson } from "../auth/person-label";
import { startTaskAttempt } from "../tasks/start-task-attempt";
import { transitionTask } from "../tasks/transition-task";
import { allowedTaskFrom } from "../tasks/transitions";
import { CONTROL_CHANNEL, type ControlMessage } from "./control-message";
import { transitionRun } from "./transition-run";
import { enqueue } from "../jobs/enqueue";

/** Delivered to the runners only if the surrounding transaction commits. */
export async function notifyRunners(tx: Queryable, message: ControlMessage): Promise<void> {
  await tx.execute(sql`select pg_notify(${CONTROL_CHANNEL}, ${JSON.stringify(message)})`);
}


/**
 * Pause (DESIGN.md §4): the scheduler starts nothing for a run that is not
 * running, and the runners interrupt its running turns (SIGINT); each
 * interrupted attempt waits, its task still running, for resume.
 */
export async function pauseRun(db: Db, runId: string, by: string | null): Promise<void> {
  await db.transaction(async (tx) => {
    await transitionRun(tx, runId, "paused", { reason: `paused${await byPerson(tx, by)}` });
    await notifyRunners(tx, { action: "interrupt", runId, reason: "paused" });
  });
}

/**
 * Resume continues every attempt the pause interrupted on its own thread
 * (`resume: true`), then lets the scheduler start what may start.
 */
export async function resumeRun(db: Db, boss: PgBoss, runId: string, by: string | null): Promise<{ resumed: number }> {
  const resumable = await db.transaction(async (tx) => {
    await transitionRun(tx, runId, "running", { from: ["paused"], reason: `resumed${await byPerson(tx, by)}` });
    // A paused attempt ends `interrupted` with its task left `running`; a task an interruption blocked waits for a human instead.
    return tx
      .select({ taskId: tasks.id })
      .from(tasks)
      .innerJoin(attempts, and(eq(attempts.taskId, tasks.id), eq(attempts.number, tasks.currentAttempt)))
      .where(and(eq(tasks.runId, runId), eq(tasks.status, "running"), eq(attempts.status, "interrupted")));
  });
  for (const { taskId } of resumable) await startTaskAttempt(db, boss, taskId, { resume: true });
  await enqueue(boss, "run.schedule", { runId });
  return { resumed: resumable.length };
}

/**
 * Cancel ends the run and every task that is not final, and the runners
 * interrupt its running turns. Worktrees and branches are kept.
 */
export async function cancelRun(db: Db, runId: string, by: string | null): Promise<{ cancelledTasks: number }> {
  return db.transaction(async (tx) => {
    const reason = `cancelled${await byPerson(tx, by)}`;
    await transitionRun(tx, runId, "cancelled", { reason });
    const rows = await tx.select({ id: tasks.id, status: tasks.status }).from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position)).for("no key update");
    // Done, failed and already cancelled tasks keep their status.
    const cancellable = rows.filter((row) => allowedTaskFrom("cancelled").includes(row.status));
    for (const row of cancellable) await transitionTask(tx, row.id, "cancelled", { reason: "the run was cancelled" });
    // Nothing waits for a person on a cancelled run: its pending approvals are declined with it.
    const pending = await tx.select({ id: approvals.id }).from(approvals).where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")));
    if (pending.length > 0) await transitionApproval(tx, { runId, kinds: APPROVAL_KINDS }, "rejected", { by: null, reason: "declined with the run, which was cancelled", from: ["pending"] });
    await notifyRunners(tx, { action: "interrupt", runId, reason: "cancelled" });
    return { cancelledTasks: cancellable.length };
  });
}
