import type { WorkerReport } from "../../lib/reports/worker-report";
import { tail } from "../../lib/shared/cap";
import { describeFindings } from "../../lib/verifications/detect-weakening";
import type { VerificationOutcome } from "../verify/verify-task";
import type { ManagerReview } from "./review-by-manager";
import { REASON_MAX } from "./finish-attempt";

/** Why a verified task still needs a human, or null when it is done. */
export function reviewReason(
  task: { kind: string; manual: string | null; requireHumanAccept: boolean },
  report: WorkerReport,
  verification: VerificationOutcome,
  managerReview: ManagerReview | null = null,
): string | null {
  if (verification.outOfScope.length > 0) {
    return `Changed files outside its declared scope (${verification.outOfScope.join(", ")}): a human must accept the wider scope.`;
  }
  if (task.kind === "ui") return `A ui task: a human confirms it with its manual test plan${task.manual ? `: ${task.manual}` : "."}`;
  if (task.kind === "docs" || task.kind === "research") {
    if (!managerReview) return `A ${task.kind} task: it waits for the manager's editorial review.`;
    if (!managerReview.ok) return `A ${task.kind} task: the manager's review failed (${managerReview.error}); a human reviews it alone.`;
    const { review } = managerReview;
    const notes = [
      ...review.unsupportedClaims.slice(0, 10).map((claim) => `unsupported: ${claim}`),
      ...review.editorialIssues.slice(0, 10).map((issue) => `editorial: ${issue}`),
    ];
    return `A ${task.kind} task, reviewed by the manager: ${review.verdict === "approve" ? "approve" : "revise"}. ${review.summary}${notes.length ? `\n${notes.map((note) => `- ${note}`).join("\n")}` : ""}\nA human confirms it.`;
  }
  if (report.status === "needs_review") return `The worker asked for a review: ${report.summary}`;
  if (verification.results.length === 0) return "There was nothing to verify automatically (no verification commands): a human must check it.";
  if (task.requireHumanAccept) return "The run requires a human to accept every task.";
  return null;
}

/** The card's reason when the diff weakened checks: each file and line, and how the checks fared. */
export function weakenedReason(verification: VerificationOutcome): string {
  const lines = describeFindings(verification.weakening, 15);
  const start =
    verification.startChecks === null
      ? ""
      : verification.startChecks.every((result) => result.exitCode === 0)
        ? " The checks as they were at the task's start pass against the worker's code."
        : ` The checks as they were at the task's start fail against the worker's code: ${verification.startChecks
            .filter((result) => result.exitCode !== 0)
            .map((result) => `${result.command} (${result.timedOut ? "timed out" : `exit ${result.exitCode}`})`)
            .join(", ")}.`;
  return `The worker weakened the checks, so Foreman does not count this as verified; a human must review it:\n${lines.map((line) => `- ${line}`).join("\n")}\n${start.trim()}`.trim();
}

export function blockedByVerification(verification: VerificationOutcome, cap: number): string {
  const failures = verification.results.filter((result) => result.exitCode !== 0);
  const budget = Math.floor((REASON_MAX - 300) / Math.max(failures.length, 1));
  const details = failures
    .map((failure) => `$ ${failure.command} → ${failure.timedOut ? "timed out" : `exit ${failure.exitCode}`}\n${tail(failure.outputTail, Math.max(budget - failure.command.length - 40, 200))}`)
    .join("\n");
  return `Verification still fails after ${cap} follow-up turn(s): ${verification.summary}.\n${details}`;
}
