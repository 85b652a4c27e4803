import type { WorkerReport } from "../../lib/reports/worker-report";
import { tail } from "../../lib/shared/cap";
import type { VerificationOutcome } from "../verify/verify-task";
import { REASON_MAX } from "./finish-attempt";

/** Why a verified task still needs a human, or null when it is done. */
export function reviewReason(
  task: { kind: string; manual: string | null; requireHumanAccept: boolean },
  report: WorkerReport,
  verification: VerificationOutcome,
): string | null {
  if (verification.outOfScope.length > 0) {
    return `Changed files outside its declared scope (${verification.outOfScope.join(", ")}): a human must accept the wider scope.`;
  }
  if (task.kind === "ui") return `A ui task: a human confirms it with its manual test plan${task.manual ? `: ${task.manual}` : "."}`;
  if (task.kind === "docs" || task.kind === "research") return `A ${task.kind} task: it waits for the manager's editorial review.`;
  if (report.status === "needs_review") return `The worker asked for a review: ${report.summary}`;
  if (verification.results.length === 0) return "There was nothing to verify automatically (no verification commands): a human must check it.";
  if (task.requireHumanAccept) return "The run requires a human to accept every task.";
  return null;
}

export function blockedByVerification(verification: VerificationOutcome, cap: number): string {
  const failures = verification.results.filter((result) => result.exitCode !== 0);
  const budget = Math.floor((REASON_MAX - 300) / Math.max(failures.length, 1));
  const details = failures
    .map((failure) => `$ ${failure.command} → ${failure.timedOut ? "timed out" : `exit ${failure.exitCode}`}\n${tail(failure.outputTail, Math.max(budget - failure.command.length - 40, 200))}`)
    .join("\n");
  return `Verification still fails after ${cap} follow-up turn(s): ${verification.summary}.\n${details}`;
}
