import { and, eq, sql } from "drizzle-orm";
import { runs, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { nextHeartbeatAt, scheduleHeartbeat } from "../../lib/runs/heartbeat-schedule";
import { schedule } from "../../lib/scheduler/schedule";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { transitionTask } from "../../lib/tasks/transition-task";
import { FINISHED_TASK_STATUSES } from "./run-finish";
import { defineJob } from "./types";
import { enqueue } from "../../lib/jobs/enqueue";

/**
 * `run.schedule`: applies the deterministic scheduler (lib/scheduler) to a
 * running run. Queued on approval and after every attempt, so tasks start as
 * soon as they may, not on the next heartbeat.
 */
export const runSchedule = defineJob({
  name: "run.schedule",
  concurrency: 2,
  async handle(ctx, { runId }) {
    let heartbeatMinutes: number | null = null;
    let finished = false;
    const started = await ctx.db.transaction(async (tx) => {
      // Race: two schedulers of one run could both start the task that fills the last slot.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`schedule:${runId}`}, 0))`);
      const [run] = await tx.select({ status: runs.status, settings: runs.settings }).from(runs).where(eq(runs.id, runId));
      if (!run || run.status !== "running") return [];
      heartbeatMinutes = run.settings.heartbeatIntervalMinutes;
      const rows = await tx.select().from(tasks).where(eq(tasks.runId, runId));
      finished = rows.length > 0 && rows.every((row) => (FINISHED_TASK_STATUSES as readonly string[]).includes(row.status));
      const decision = schedule(rows, run.settings.concurrency);
      const byKey = new Map(rows.map((row) => [row.key, row]));
      for (const { key, reason } of decision.hold) {
        const row = byKey.get(key)!;
        if (row.holdReason === reason) continue;
        await tx.update(tasks).set({ holdReason: reason }).where(and(eq(tasks.id, row.id), eq(tasks.status, "waiting")));
        await appendEvent(tx, { runId, taskId: row.id, payload: { type: "task.held", key, reason } });
      }
      const ids: string[] = [];
      for (const key of decision.start) {
        const row = byKey.get(key)!;
        await transitionTask(tx, row.id, "ready", { reason: "scheduled" });
        ids.push(row.id);
      }
      return ids;
    });
    // A running run always has its heartbeat schedule (an upsert; cheap to repeat).
    if (heartbeatMinutes !== null) {
      await scheduleHeartbeat(ctx.boss, runId, heartbeatMinutes);
      // For the header's countdown; only when unknown or past, so a busy run does not rewrite it on every pass.
      await ctx.db
        .update(runs)
        .set({ nextHeartbeatAt: nextHeartbeatAt(heartbeatMinutes) })
        .where(and(eq(runs.id, runId), sql`(${runs.nextHeartbeatAt} is null or ${runs.nextHeartbeatAt} < now())`));
    }
    if (finished) await enqueue(ctx.boss, "run.finish", { runId }, { singletonKey: `finish:${runId}` });
    // Each start queues its own task.run job with the next attempt number (fenced).
    for (const taskId of started) await startTaskAttempt(ctx.db, ctx.boss, taskId);
  },
});
