import type { pullRequests } from "../../db/schema";

/**
 * Whether a PR may be merged from Foreman (DESIGN.md §8, `/merge`): open,
 * not a draft, CI green on its head, and approved by a reviewer unless the
 * run allows merging without one. The same rule in the route (for a clear
 * 409) and in the runner (against the state at merge time).
 */
export function mergeDecision(input: {
  taskStatus: string;
  pr: Pick<typeof pullRequests.$inferSelect, "state" | "draft" | "ciState" | "reviewState" | "number" | "mergeable">;
  mergeWithoutApproval: boolean;
}): { allowed: true } | { allowed: false; reason: string } {
  const { pr } = input;
  if (pr.state !== "open") return { allowed: false, reason: `PR #${pr.number} is ${pr.state}.` };
  if (input.taskStatus !== "needs_review") return { allowed: false, reason: `The task is ${input.taskStatus.replace("_", " ")}; only a task in review is merged.` };
  if (pr.draft) return { allowed: false, reason: `PR #${pr.number} is a draft; mark it ready for review on GitHub first.` };
  if (pr.ciState !== "success") return { allowed: false, reason: `CI on PR #${pr.number} is ${pr.ciState}, not green.` };
  if (pr.reviewState !== "APPROVED" && !input.mergeWithoutApproval) {
    return { allowed: false, reason: `PR #${pr.number} has no approving review${pr.reviewState === "CHANGES_REQUESTED" ? " (changes were requested)" : ""}, and the run does not allow merging without one.` };
  }
  return { allowed: true };
}
