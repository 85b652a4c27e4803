import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { approvals } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { ApprovalKind, ApprovalStatus } from "./status";
import { APPROVAL_TRANSITIONS } from "./transitions";

/** One approval, or every approval of these kinds on a run (a plan waits on `plan` or `risk`). */
export type ApprovalTarget = { id: string } | { runId: string; kinds: readonly ApprovalKind[] };

/** `by` is the deciding user's id; `reason` is stored as the decision note. */
export type ApprovalTransitionOptions = TransitionOptions<ApprovalStatus> & { by: string | null };

/**
 * Decides the approval(s) a target names when their status allows it
 * (lib/approvals/transitions.ts). Zero rows is a conflict: decided elsewhere
 * (another tab, a re-plan), never silently decided twice. The caller appends
 * the event that says what the decision means (plan approved, design change
 * declined).
 */
export async function transitionApproval(
  tx: Queryable,
  target: ApprovalTarget,
  to: ApprovalStatus,
  options: ApprovalTransitionOptions,
): Promise<{ id: string; kind: ApprovalKind }[]> {
  const which = "id" in target ? eq(approvals.id, target.id) : and(eq(approvals.runId, target.runId), inArray(approvals.kind, [...target.kinds]));
  const rows = await tx
    .update(approvals)
    .set({ status: to, decidedBy: options.by, decidedAt: sql`now()`, decisionNote: options.reason ?? null })
    .where(and(which, inArray(approvals.status, allowedFrom(APPROVAL_TRANSITIONS, to, options.from))))
    .returning({ id: approvals.id, kind: approvals.kind });
  if (rows.length > 0) return rows;
  if (!("id" in target)) throw new AppError("state_conflict", `No ${target.kinds.join(" or ")} approval of this run is pending; reload the run.`);
  const [current] = await tx.select({ status: approvals.status }).from(approvals).where(eq(approvals.id, target.id));
  throw transitionConflict("The approval", current?.status, to);
}
