import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { verifications } from "../../db/schema";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { VerificationStatus } from "./status";
import { VERIFICATION_TRANSITIONS } from "./transitions";

type VerificationRow = typeof verifications.$inferSelect;

/** What Foreman found, stored with the verdict; `reason` is the summary people read. */
export type VerificationTransitionOptions = TransitionOptions<VerificationStatus> &
  Partial<Pick<VerificationRow, "changedFiles" | "outOfScope" | "commands" | "headSha" | "checkFiles" | "startChecks" | "weakening">>;

/**
 * Finishes a running verification with its verdict and findings. Zero rows is
 * a conflict: a verification is finished once, never rewritten.
 */
export async function transitionVerification(tx: Queryable, verificationId: string, to: VerificationStatus, options: VerificationTransitionOptions = {}): Promise<void> {
  const { reason, from, ...findings } = options;
  const [row] = await tx
    .update(verifications)
    .set({ ...findings, status: to, summary: reason ?? null, finishedAt: sql`now()` })
    .where(and(eq(verifications.id, verificationId), inArray(verifications.status, allowedFrom(VERIFICATION_TRANSITIONS, to, from))))
    .returning({ id: verifications.id });
  if (row) return;
  const [current] = await tx.select({ status: verifications.status }).from(verifications).where(eq(verifications.id, verificationId));
  throw transitionConflict("The verification", current?.status, to);
}
