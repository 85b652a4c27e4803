import type { CheckSummary } from "../../db/schema";
import { head } from "../shared/cap";
import type { CiState } from "./status";

type CheckRun = {
  name: string;
  status: string;
  conclusion: string | null;
  html_url?: string | null;
  details_url?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null } | null;
};
type CommitStatus = { context: string; state: string; description?: string | null; target_url?: string | null };

const FAILED_CONCLUSIONS = new Set(["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"]);
const OUTPUT_MAX = 4000;

/**
 * One CI state per head SHA from check runs and commit statuses: any failure
 * → failure; anything still running → pending; all passed → success; nothing
 * reported → none. Duplicate names (re-runs) keep the newest, which GitHub lists first.
 */
export function foldCi(checkRuns: readonly CheckRun[], statuses: readonly CommitStatus[]): { state: CiState; checks: CheckSummary[] } {
  const checks: CheckSummary[] = [];
  const seen = new Set<string>();
  for (const run of checkRuns) {
    if (seen.has(`check:${run.name}`)) continue;
    seen.add(`check:${run.name}`);
    const output = [run.output?.title, run.output?.summary, run.output?.text].filter((part): part is string => Boolean(part?.trim())).join("\n");
    checks.push({
      name: head(run.name, 300),
      source: "check_run",
      status: run.status,
      conclusion: run.conclusion,
      output: output ? head(output, OUTPUT_MAX) : null,
      url: run.html_url ?? run.details_url ?? null,
    });
  }
  for (const status of statuses) {
    if (seen.has(`status:${status.context}`)) continue;
    seen.add(`status:${status.context}`);
    checks.push({
      name: head(status.context, 300),
      source: "status",
      status: status.state,
      conclusion: status.state === "pending" ? null : status.state,
      output: status.description ? head(status.description, OUTPUT_MAX) : null,
      url: status.target_url ?? null,
    });
  }
  return { state: stateOf(checks), checks };
}

export function isFailedCheck(check: CheckSummary): boolean {
  if (check.source === "status") return check.status === "failure" || check.status === "error";
  return check.status === "completed" && check.conclusion !== null && FAILED_CONCLUSIONS.has(check.conclusion);
}

function isPendingCheck(check: CheckSummary): boolean {
  return check.source === "status" ? check.status === "pending" : check.status !== "completed";
}

function stateOf(checks: readonly CheckSummary[]): CiState {
  if (checks.length === 0) return "none";
  if (checks.some(isFailedCheck)) return "failure";
  if (checks.some(isPendingCheck)) return "pending";
  return "success";
}

/**
 * The review state GitHub would show: each reviewer's latest deciding review
 * counts; any "changes requested" wins over approvals.
 */
export function foldReviews(reviews: readonly { user: { login: string } | null; state: string; submitted_at?: string | null }[]): string | null {
  const latest = new Map<string, string>();
  for (const review of reviews) {
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED" && review.state !== "DISMISSED") continue;
    latest.set(review.user?.login ?? "ghost", review.state);
  }
  const states = [...latest.values()];
  if (states.includes("CHANGES_REQUESTED")) return "CHANGES_REQUESTED";
  if (states.includes("APPROVED")) return "APPROVED";
  return null;
}
