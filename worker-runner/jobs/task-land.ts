import { eq } from "drizzle-orm";
import { tasks } from "../../db/schema";
import { landTask } from "../follow-ups/land-task";
import { defineJob } from "./types";
import { enqueue } from "../../lib/jobs/enqueue";

/** `task.land`: accept or merge a task a human chose (see follow-ups/land-task.ts). */
export const taskLand = defineJob({
  name: "task.land",
  concurrency: 2,
  async handle(ctx, payload) {
    await landTask(ctx, payload);
    // A task done frees what waited on it; the last one finishes the run.
    const [task] = await ctx.db.select({ runId: tasks.runId }).from(tasks).where(eq(tasks.id, payload.taskId));
    if (task) await enqueue(ctx.boss, "run.schedule", { runId: task.runId });
  },
});
