import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { pullRequests, repositories, runs, tasks } from "../../db/schema";

/** A pull request with the task, run and repository it belongs to: what sync and triage work from. */
export type Loaded = {
  pr: typeof pullRequests.$inferSelect;
  task: typeof tasks.$inferSelect;
  run: typeof runs.$inferSelect;
  repository: typeof repositories.$inferSelect;
};

export async function loadPullRequest(db: Db, pullRequestId: string): Promise<Loaded | null> {
  const [row] = await db
    .select({ pr: pullRequests, task: tasks, run: runs, repository: repositories })
    .from(pullRequests)
    .innerJoin(tasks, eq(tasks.id, pullRequests.taskId))
    .innerJoin(runs, eq(runs.id, pullRequests.runId))
    .innerJoin(repositories, eq(repositories.id, pullRequests.repositoryId))
    .where(eq(pullRequests.id, pullRequestId));
  return row ?? null;
}
