import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { attempts, tasks } from "../../db/schema";
import { PGBOSS_SCHEMA } from "../jobs/queues";
import { transitionTask } from "./transition-task";
import { enqueue } from "../jobs/enqueue";

/** A running task is only suspect after this long without a live attempt or a queued job (a job may wait for a free worker). */
export const ORPHAN_GRACE_MINUTES = 2;

/**
 * Running tasks of some runs that nothing is working on: no attempt starting
 * or running, and no `task.run` job waiting or active (e.g. a replacement
 * whose claim gave up while the stalled turn would not stop).
 */
export async function findOrphanedTasks(tx: Queryable, runIds: string[]): Promise<{ runId: string; id: string; key: string; currentAttempt: number }[]> {
  const rows = await tx.execute<{ run_id: string; id: string; key: string; current_attempt: number }>(sql`
    select t.run_id, t.id, t.key, t.current_attempt
    from tasks t
    where t.run_id in ${runIds}
      and t.status = 'running'
      and t.status_changed_at < now() - make_interval(mins => ${ORPHAN_GRACE_MINUTES})
      and not exists (select 1 from attempts a where a.task_id = t.id and a.status in ('starting', 'running'))
      and not exists (
        select 1 from ${sql.raw(PGBOSS_SCHEMA)}.job j
        where j.name = 'task.run' and j.state in ('created', 'retry', 'active') and j.data->>'taskId' = t.id::text
      )
    for update of t skip locked`);
  return rows.map((row) => ({ runId: row.run_id, id: row.id, key: row.key, currentAttempt: row.current_attempt }));
}

/**
 * Puts an orphaned task back to work: a new attempt continues the last
 * thread (fenced by the next attempt number); a task that never got a thread
 * is blocked with the reason, for a human to retry.
 */
export async function recoverOrphanedTask(tx: Queryable, boss: PgBoss, task: { id: string; key: string; currentAttempt: number }): Promise<{ action: "resumed"; attempt: number } | { action: "blocked" }> {
  const [last] = await tx
    .select({ number: attempts.number })
    .from(attempts)
    .where(and(eq(attempts.taskId, task.id), isNotNull(attempts.threadId)))
    .orderBy(desc(attempts.number))
    .limit(1);
  if (!last) {
    await transitionTask(tx, task.id, "blocked", {
      reason: `${task.key} was running with no worker and no thread to continue; retry it.`,
      holdReason: "Lost its worker before a thread started: retry it.",
    });
    return { action: "blocked" };
  }
  const next = task.currentAttempt + 1;
  await tx.update(tasks).set({ currentAttempt: next }).where(and(eq(tasks.id, task.id), eq(tasks.currentAttempt, task.currentAttempt)));
  await enqueue(boss, "task.run", { taskId: task.id, attempt: next, replaces: last.number }, { tx });
  return { action: "resumed", attempt: next };
}
