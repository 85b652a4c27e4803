import type { CiState, PullRequestState } from "@/lib/github/status";
import { assertNever } from "@/lib/shared/assert-never";
import type { VerificationStatus } from "@/lib/verifications/status";

/** Words and colours for Foreman's verification and a task's pull request, shared by cards and the drawer. */

export const VERIFICATION_LABEL: Record<VerificationStatus, string> = {
  running: "verifying",
  passed: "verified",
  failed: "verify failed",
  error: "verify error",
};

export function verificationTone(status: VerificationStatus): string {
  switch (status) {
    case "running":
      return "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300";
    case "passed":
      return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
    case "failed":
    case "error":
      return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
    default:
      return assertNever(status, "verification status");
  }
}

/** "CI passing"; null when the head has no checks at all. */
export function ciLabel(state: CiState): string | null {
  switch (state) {
    case "none":
      return null;
    case "pending":
      return "CI pending";
    case "success":
      return "CI passing";
    case "failure":
      return "CI failing";
    default:
      return assertNever(state, "CI state");
  }
}

/** GitHub's review decision in words ("changes_requested" → "changes requested"); free text from GitHub stays text. */
export function reviewLabel(reviewState: string | null): string | null {
  if (!reviewState) return null;
  const normalized = reviewState.toLowerCase();
  if (normalized === "approved") return "approved";
  if (normalized === "changes_requested") return "changes requested";
  if (normalized === "review_required" || normalized === "pending") return "review pending";
  return normalized.replace(/_/g, " ");
}

export type PullRequestSummary = {
  number: number;
  state: PullRequestState;
  draft: boolean;
  ciState: CiState;
  reviewState: string | null;
};

/** "#12 · CI passing · approved", or "#12 · merged" once it is no longer open. */
export function pullRequestLine(pullRequest: PullRequestSummary): string {
  if (pullRequest.state !== "open") return `#${pullRequest.number} · ${pullRequest.state}`;
  return [`#${pullRequest.number}`, pullRequest.draft ? "draft" : null, ciLabel(pullRequest.ciState), reviewLabel(pullRequest.reviewState)]
    .filter(Boolean)
    .join(" · ");
}

/** The worst news of a pull request sets its colour. */
export function pullRequestTone(pullRequest: PullRequestSummary): string {
  const review = pullRequest.reviewState?.toLowerCase();
  if (pullRequest.state === "merged") return "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300";
  if (pullRequest.state === "closed") return "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";
  if (pullRequest.ciState === "failure" || review === "changes_requested") return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
  if (pullRequest.ciState === "pending") return "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300";
  if (pullRequest.ciState === "success" && review === "approved") return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
  return "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";
}
