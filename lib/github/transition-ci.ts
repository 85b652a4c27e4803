import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { type CheckSummary, pullRequests } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { CiState } from "./status";
import { CI_TRANSITIONS } from "./transitions";

/**
 * The head SHA the CI state belongs to, and the fence: `seenHeadSha` is the
 * head the writer read before it asked GitHub (undefined: the writer sets a
 * head of its own, a push). `checks` replaces the stored checks when given.
 */
export type CiTransitionOptions = TransitionOptions<CiState> & { headSha: string | null; seenHeadSha?: string | null; checks?: CheckSummary[] };

/**
 * Records a pull request's CI state for a head SHA. CI moves any way for one
 * head (re-runs), so the guard is the head the writer read: a sync that read
 * GitHub before Foreman pushed a new head cannot write the old head's result
 * over the new head's `pending`. Zero rows is a conflict. The caller appends
 * `task.ci_changed` when it tells people something new.
 */
export async function transitionCi(tx: Queryable, pullRequestId: string, to: CiState, options: CiTransitionOptions): Promise<{ from: CiState; to: CiState }> {
  const [current] = await tx.select({ ciState: pullRequests.ciState, headSha: pullRequests.headSha, number: pullRequests.number }).from(pullRequests).where(eq(pullRequests.id, pullRequestId)).for("no key update");
  if (!current) throw new AppError("not_found", "No such pull request.");
  const guards = [eq(pullRequests.id, pullRequestId), inArray(pullRequests.ciState, allowedFrom(CI_TRANSITIONS, to, options.from))];
  // Race: Foreman pushed a new head (CI back to pending) while this writer read the old head's CI.
  if (options.seenHeadSha !== undefined) guards.push(sql`${pullRequests.headSha} is not distinct from ${options.seenHeadSha}`);
  const [row] = await tx
    .update(pullRequests)
    .set({ ciState: to, headSha: options.headSha, updatedAt: new Date(), ...(options.checks ? { checks: options.checks } : {}) })
    .where(and(...guards))
    .returning({ id: pullRequests.id });
  if (!row && options.seenHeadSha !== undefined && current.headSha !== options.seenHeadSha) {
    throw new AppError("state_conflict", `PR #${current.number}'s head moved to ${current.headSha?.slice(0, 8) ?? "none"}: CI read for ${options.seenHeadSha?.slice(0, 8) ?? "no head"} was refused.`);
  }
  if (!row) throw transitionConflict(`PR #${current.number}'s CI`, current.ciState, to);
  return { from: current.ciState, to };
}
