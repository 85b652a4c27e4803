import "server-only";
import type { Queryable } from "../../db/client";
import type { pullRequests } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { transitionPullRequest } from "./transition-pull-request";

type MergedPullRequest = Pick<typeof pullRequests.$inferSelect, "id" | "runId" | "taskId" | "number" | "baseBranch">;

/**
 * A PR was merged (by Foreman, or on GitHub as a sync saw): the guarded move
 * to `merged` and its `task.merged` event, in the caller's transaction. The
 * move is the only way to the event, so a merge is told once: the second
 * writer (land and sync racing) gets the transition's conflict.
 */
export async function recordMerge(tx: Queryable, pr: MergedPullRequest, merge: { sha: string; by: string | null; byName: string | null; reason: string }): Promise<void> {
  await transitionPullRequest(tx, pr.id, "merged", { reason: merge.reason });
  await appendEvent(tx, {
    runId: pr.runId,
    taskId: pr.taskId,
    payload: { type: "task.merged", via: "github", into: pr.baseBranch, sha: merge.sha, number: pr.number, fastForward: null, by: merge.by, byName: merge.byName },
  });
}
