import { FINAL_RUN_STATUSES, type RunStatus } from "./status";

/**
 * What a run is waiting on a person for (issue #17): open questions, pending
 * approvals (the plan's included), blocked tasks and tasks waiting for review.
 * Pure, so the runs list (counted in SQL) and the live run page (counted from
 * the snapshot) say the same thing.
 */
export type NeedsYouCounts = {
  status: RunStatus;
  openQuestions: number;
  pendingApprovals: number;
  blockedTasks: number;
  reviewTasks: number;
};

export type NeedsYou = { count: number; reasons: string[]; tone: "urgent" | "waiting" | "none" };

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function needsYou(counts: NeedsYouCounts): NeedsYou {
  if ((FINAL_RUN_STATUSES as readonly RunStatus[]).includes(counts.status)) return { count: 0, reasons: [], tone: "none" };
  // A plan awaiting approval is one decision even before its approval row is read.
  const approvals = Math.max(counts.pendingApprovals, counts.status === "awaiting_approval" ? 1 : 0);
  const questions = Math.max(counts.openQuestions, counts.status === "needs_input" ? 1 : 0);
  const reasons = [
    ...(questions ? [plural(questions, "question to answer", "questions to answer")] : []),
    ...(approvals ? [plural(approvals, "approval to decide", "approvals to decide")] : []),
    ...(counts.blockedTasks ? [plural(counts.blockedTasks, "blocked task", "blocked tasks")] : []),
    ...(counts.reviewTasks ? [plural(counts.reviewTasks, "task to review", "tasks to review")] : []),
  ];
  const count = questions + approvals + counts.blockedTasks + counts.reviewTasks;
  return { count, reasons, tone: counts.blockedTasks > 0 ? "urgent" : count > 0 ? "waiting" : "none" };
}

/** The browser tab's title: the count first, so a background tab shows it. */
export function titleWithCount(title: string, count: number): string {
  return count > 0 ? `(${count}) ${title}` : title;
}

type WithStatus = { status: string };

/** The same count from a run snapshot (the server's or the browser's copy). */
export function needsYouOfSnapshot(snapshot: { run: { status: RunStatus }; questions: readonly WithStatus[]; approvals: readonly WithStatus[]; tasks: readonly WithStatus[] }): NeedsYou {
  const counting = (rows: readonly WithStatus[], status: string) => rows.filter((row) => row.status === status).length;
  return needsYou({
    status: snapshot.run.status,
    openQuestions: counting(snapshot.questions, "open"),
    pendingApprovals: counting(snapshot.approvals, "pending"),
    blockedTasks: counting(snapshot.tasks, "blocked"),
    reviewTasks: counting(snapshot.tasks, "needs_review"),
  });
}
