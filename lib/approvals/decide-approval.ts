import "server-only";
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Db } from "../../db/client";
import { HUMAN_NOTE_MAX } from "../tasks/task-actions";
import { approvals, pullRequests, reviewComments, runs } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { transitionApproval } from "./transition-approval";
import { enqueueSync } from "../github/enqueue-sync";
import { AppError } from "../errors/app-error";
import { reviewFeedbackPrompt } from "../prompts/worker";
import { isFinalRunStatus } from "../runs/status";
import { head } from "../shared/cap";
import { startFollowUp } from "../tasks/start-follow-up";
import { actOnManagerApproval } from "../heartbeats/act-on-approval";
import { isManagerApproval } from "./payload";
import { personName } from "../auth/person-label";

export const decideApprovalInput = z
  .object({ decision: z.enum(["approve", "reject"]), note: z.string().trim().max(HUMAN_NOTE_MAX).optional() })
  .strict();

/**
 * A human decides an architecture change a reviewer asked for (DESIGN.md
 * §4.9): approved, the worker makes it on the task's thread and branch;
 * declined, Foreman replies on the PR with the note. The manager's proposals
 * at heartbeats (a wider scope, a drop, more tasks, a re-plan) are acted on
 * once approved and change nothing when declined. Other approvals (the plan)
 * have their own routes.
 */
export async function decideApproval(
  db: Db,
  boss: PgBoss,
  approvalId: string,
  input: z.infer<typeof decideApprovalInput>,
  by: string,
): Promise<{ runId: string; followUpAttempt: number | null }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ approval: approvals, runStatus: runs.status })
      .from(approvals)
      .innerJoin(runs, eq(runs.id, approvals.runId))
      .where(eq(approvals.id, approvalId))
      .for("update", { of: approvals });
    if (!row) throw new AppError("not_found", "No such approval.");
    const { approval } = row;
    const { payload } = approval;
    if (approval.kind !== "architecture" && !isManagerApproval(payload)) throw new AppError("state_conflict", `A ${approval.kind} approval is decided on the run page (approve / re-plan).`);
    if (isFinalRunStatus(row.runStatus)) throw new AppError("state_conflict", `The run is ${row.runStatus}.`);
    await transitionApproval(tx, { id: approvalId }, input.decision === "approve" ? "approved" : "rejected", { by, reason: input.note ?? null });
    const name = (await personName(tx, by)) ?? "Someone";
    await appendEvent(tx, {
      runId: approval.runId,
      taskId: approval.taskId,
      payload: { type: "run.note", level: "info", message: head(`${name} ${input.decision === "approve" ? "approved" : "declined"} a design change: ${approval.reason}${input.note ? ` — ${input.note}` : ""}`, 4000) },
    });
    if (isManagerApproval(payload)) {
      // Declined, nothing changes: the task keeps its status, scope and hold reason.
      if (input.decision === "reject") return { runId: approval.runId, followUpAttempt: null };
      return { runId: approval.runId, followUpAttempt: await actOnManagerApproval(tx, boss, approval, payload, name) };
    }
    const [comment] = await tx.select().from(reviewComments).where(eq(reviewComments.approvalId, approvalId));
    if (input.decision === "reject") {
      if (comment) await enqueueSync(boss, comment.pullRequestId, "approval", { tx });
      return { runId: approval.runId, followUpAttempt: null };
    }
    if (!comment || !approval.taskId) return { runId: approval.runId, followUpAttempt: null };
    const goal = payload?.followUpGoal ?? null;
    const [pr] = await tx.select({ number: pullRequests.number }).from(pullRequests).where(eq(pullRequests.id, comment.pullRequestId));
    const { attempt } = await startFollowUp(tx, boss, {
      taskId: approval.taskId,
      from: ["verifying", "needs_review", "blocked"],
      reason: `${name} approved the design change a reviewer asked for.`,
      followUp: {
        purpose: "review_feedback",
        prompt: reviewFeedbackPrompt({
          number: pr?.number ?? 0,
          comments: [
            {
              author: comment.author,
              path: comment.path,
              line: comment.line,
              body: comment.body,
              category: "architecture",
              followUpGoal: [goal, input.note ? `The maintainer who approved it adds: ${input.note}` : null].filter(Boolean).join(" ") || null,
            },
          ],
        }),
        commentIds: [comment.id],
      },
    });
    return { runId: approval.runId, followUpAttempt: attempt };
  });
}
