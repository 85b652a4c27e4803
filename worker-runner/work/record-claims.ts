import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tasks, verifications } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { compareReport, type Disagreement } from "../../lib/reports/compare-report";
import type { WorkerReport } from "../../lib/reports/worker-report";
import { head } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { VerificationOutcome } from "../verify/verify-task";

/**
 * The worker's report against Foreman's record, on the server (DESIGN.md §4.6):
 * the same comparison the drawer shows (lib/reports/compare-report.ts). The
 * disagreements are stored on the verification and the task (so the card, the
 * API, the PR body and the run summary can say so) and become an event.
 */
export async function recordClaims(db: Db, target: AttemptTarget, report: WorkerReport, verification: VerificationOutcome): Promise<Disagreement[]> {
  const { disagreements } = compareReport(report, {
    status: verification.passed ? "passed" : "failed",
    changedFiles: verification.changedFiles,
    outOfScope: verification.outOfScope,
    commands: verification.results,
  });
  await db.transaction(async (tx) => {
    await tx.update(verifications).set({ disputes: disagreements }).where(eq(verifications.id, verification.verificationId));
    await tx
      .update(tasks)
      .set({ disputedClaims: disagreements.map((entry) => head(entry.text, 2000)) })
      .where(and(eq(tasks.id, target.taskId), eq(tasks.currentAttempt, target.attemptNumber)));
    if (disagreements.length === 0) return;
    await appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: {
        type: "task.claims_disputed",
        attempt: target.attemptNumber,
        verificationId: verification.verificationId,
        disagreements: disagreements.slice(0, 50).map((entry) => ({ subject: entry.subject, text: head(entry.text, 2000) })),
      },
    });
  });
  return disagreements;
}
