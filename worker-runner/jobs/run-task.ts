import { eq } from "drizzle-orm";
import { tasks } from "../../db/schema";
import { runTaskAttempt } from "../work/run-task-attempt";
import { defineJob } from "./types";
import { enqueue } from "../../lib/jobs/enqueue";

/**
 * `task.run`: works one attempt of a task (worktree, Codex turns,
 * verification). At most FOREMAN_MAX_WORKERS at once per runner.
 */
export const runTask = defineJob({
  name: "task.run",
  concurrency: (ctx) => ctx.agents?.maxWorkers ?? 1,
  async handle(ctx, payload, job) {
    if (!ctx.agents) throw new Error("this runner was started without an agent runtime");
    // A redelivered job (its runner died; pg-boss retried it) finds its attempt taken over already: it skips quietly.
    await runTaskAttempt({ db: ctx.db, runtime: ctx.agents, runnerId: ctx.runnerId, boss: ctx.boss }, payload, { redelivered: job.retryCount > 0 });
    // Whatever the outcome, the run's other tasks may now start (or keep waiting).
    const [task] = await ctx.db.select({ runId: tasks.runId }).from(tasks).where(eq(tasks.id, payload.taskId));
    if (task) await enqueue(ctx.boss, "run.schedule", { runId: task.runId });
  },
});
