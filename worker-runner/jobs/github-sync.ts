import { eq } from "drizzle-orm";
import { pullRequests } from "../../db/schema";
import { syncPullRequest } from "../follow-ups/sync-pull-request";
import { defineJob } from "./types";
import { enqueue } from "../../lib/jobs/enqueue";

/** `github.sync`: one PR's state, CI, reviews and comments, and what follows from them. */
export const githubSync = defineJob({
  name: "github.sync",
  concurrency: 2,
  async handle(ctx, { pullRequestId }) {
    await syncPullRequest(ctx, pullRequestId);
    const [pr] = await ctx.db.select({ runId: pullRequests.runId }).from(pullRequests).where(eq(pullRequests.id, pullRequestId));
    if (pr) await enqueue(ctx.boss, "run.schedule", { runId: pr.runId });
  },
});
