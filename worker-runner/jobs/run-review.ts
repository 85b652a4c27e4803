import { eq } from "drizzle-orm";
import { runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { defineJob } from "./types";

/**
 * `run.review`: the manager's scope review of a new run. The manager agent is
 * built in its own issue; until then the runner records that it picked the run
 * up and says plainly that the review has not happened.
 */
export const runReview = defineJob({
  name: "run.review",
  concurrency: 2,
  async handle(ctx, { runId }) {
    await ctx.db.transaction(async (tx) => {
      const [run] = await tx.select({ id: runs.id, status: runs.status }).from(runs).where(eq(runs.id, runId)).for("update");
      if (!run || run.status !== "reviewing") return; // cancelled or already reviewed: nothing to do
      await appendEvent(tx, { runId, payload: { type: "run.picked_up", queue: "run.review", runnerId: ctx.runnerId } });
      await appendEvent(tx, {
        runId,
        payload: {
          type: "run.note",
          level: "warning",
          message: "The manager agent is not part of this Foreman build yet, so the scope has not been reviewed.",
        },
      });
    });
  },
});
