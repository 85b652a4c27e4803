import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { pullRequests } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { PullRequestState } from "./status";
import { PULL_REQUEST_TRANSITIONS } from "./transitions";

/**
 * Moves a pull request to `to` (open → closed | merged; closed → open when
 * reopened) when its state allows it (./transitions.ts). Zero rows is a
 * conflict. The caller appends the event that says what it means (the task
 * merged, the PR closed).
 */
export async function transitionPullRequest(
  tx: Queryable,
  pullRequestId: string,
  to: PullRequestState,
  options: TransitionOptions<PullRequestState> = {},
): Promise<{ from: PullRequestState; to: PullRequestState }> {
  const [current] = await tx.select({ state: pullRequests.state, number: pullRequests.number }).from(pullRequests).where(eq(pullRequests.id, pullRequestId)).for("no key update");
  if (!current) throw new AppError("not_found", "No such pull request.");
  const [row] = await tx
    .update(pullRequests)
    .set({ state: to, updatedAt: new Date(), ...(to === "merged" ? { mergedAt: sql`coalesce(${pullRequests.mergedAt}, now())` } : {}) })
    .where(and(eq(pullRequests.id, pullRequestId), inArray(pullRequests.state, allowedFrom(PULL_REQUEST_TRANSITIONS, to, options.from))))
    .returning({ id: pullRequests.id });
  if (!row) throw transitionConflict(`PR #${current.number}`, current.state, to);
  return { from: current.state, to };
}
