import type { Db } from "../../db/client";
import { appendEvent } from "../../lib/events/append-event";
import { taskReviewPrompt } from "../../lib/prompts/manager";
import { type TaskReview, taskReviewSchema } from "../../lib/reports/task-review";
import type { WorkerReport } from "../../lib/reports/worker-report";
import { head } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { taskDiff } from "../git/commit-changes";
import { askManager } from "../manager/ask-manager";
import type { Claim } from "./claim-attempt";
import type { TaskWorktree } from "./prepare-task-worktree";

export type ManagerReview = { ok: true; review: TaskReview } | { ok: false; error: string };

/**
 * The manager's review turn for a verified `docs` or `research` task
 * (DESIGN.md §4.6): a fresh read-only thread in the task's worktree returns a
 * TaskReview, stored (reports, kind `manager_task_review`) and announced
 * before the task waits for a human. A failed review is said, not hidden.
 */
export async function reviewByManager(
  ctx: { db: Db; runtime: AgentRuntime; runnerId: string },
  claim: Claim,
  target: AttemptTarget,
  worktree: TaskWorktree,
  report: WorkerReport,
): Promise<ManagerReview> {
  const { db, runtime } = ctx;
  const { task, run } = claim;
  const diff = await taskDiff(worktree.path, worktree.startSha, 100_000);
  const prompt = taskReviewPrompt({
    key: task.key,
    title: task.title,
    kind: task.kind,
    goal: task.goal,
    definitionOfDone: task.definitionOfDone,
    report: JSON.stringify(report, null, 2),
    diff,
  });
  const answer = await askManager(
    { db, runtime, runnerId: ctx.runnerId, runId: target.runId, threadId: null, cwd: worktree.path, model: run.settings.model ?? runtime.model, prompt, turnKey: `review-${target.attemptId}` },
    taskReviewSchema,
    "manager_task_review",
    target.taskId,
  );
  const review: ManagerReview = answer.ok ? { ok: true, review: answer.value } : { ok: false, error: answer.error };
  await appendEvent(db, {
    runId: target.runId,
    taskId: target.taskId,
    payload: {
      type: "task.manager_review",
      attempt: target.attemptNumber,
      verdict: review.ok ? review.review.verdict : null,
      summary: head(review.ok ? review.review.summary : review.error, 4000),
      unsupportedClaims: review.ok ? review.review.unsupportedClaims.length : 0,
      editorialIssues: review.ok ? review.review.editorialIssues.length : 0,
    },
  });
  return review;
}
