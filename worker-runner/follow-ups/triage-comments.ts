import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { approvals, questions, reviewComments } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { type CommentTriage, commentTriageSchema, routeFor } from "../../lib/github/comment-triage";
import type { CommentCategory } from "../../lib/github/status";
import { triagePrompt } from "../../lib/prompts/triage";
import { reviewFeedbackPrompt } from "../../lib/prompts/worker";
import { head } from "../../lib/shared/cap";
import { startFollowUp } from "../../lib/tasks/start-follow-up";
import type { AgentRuntime } from "../codex/runtime";
import { askManager } from "../manager/ask-manager";
import { ensureCheckout } from "../git/ensure-checkout";
import type { Loaded } from "./load-pull-request";

type Comment = typeof reviewComments.$inferSelect;
type Item = CommentTriage["items"][number];

/**
 * New PR comments go to the manager for triage (DESIGN.md §4.9), in a
 * read-only thread of their own, quoted as data; each is then routed:
 * bug / style / test_request / documentation → one follow-up turn on the
 * task's thread and branch; architecture → an approval for a human;
 * unclear (or a comment the manager skipped, or a triage that failed) → a
 * question in the browser, whose answer is posted back on the PR.
 */
export async function triageComments(
  ctx: { db: Db; boss: PgBoss; runtime: AgentRuntime; runnerId: string },
  { pr, task, run, repository }: Loaded,
  comments: Comment[],
): Promise<{ followUp: boolean; summary: string }> {
  const { db } = ctx;
  const answer = await askManager(
    {
      db,
      runtime: ctx.runtime,
      runnerId: ctx.runnerId,
      runId: run.id,
      threadId: null,
      cwd: await ensureCheckout(ctx.runtime, repository),
      model: run.settings.model ?? ctx.runtime.model,
      prompt: triagePrompt({
        task,
        pr,
        comments: comments.map((comment) => ({ id: comment.id, author: comment.author, kind: comment.kind, path: comment.path, line: comment.line, body: comment.body })),
      }),
      turnKey: `manager-triage-${pr.id}`,
    },
    commentTriageSchema,
    "manager_triage",
  );
  const byId = new Map(answer.ok ? answer.value.items.map((item) => [item.commentId, item]) : []);
  const fallback = (comment: Comment): Item => ({
    commentId: comment.id,
    category: "unclear",
    action: answer.ok ? "The manager did not triage this comment: a human decides." : `The manager's triage failed (${head(answer.error, 300)}): a human decides.`,
    followUpGoal: null,
  });
  const items = comments.map((comment) => ({ comment, item: byId.get(comment.id) ?? fallback(comment) }));
  const actionable = items.filter(({ item }) => routeFor(item.category) === "follow_up" && item.followUpGoal);

  return db.transaction(async (tx) => {
    for (const { comment, item } of items) {
      const route = routeFor(item.category);
      const action = route === "follow_up" ? (item.followUpGoal ? "follow_up" : "none") : route;
      let questionId: string | null = null;
      let approvalId: string | null = null;
      if (action === "question") {
        const [question] = await tx
          .insert(questions)
          .values({
            runId: run.id,
            taskId: task.id,
            source: "comment",
            externalId: comment.id,
            text: head(`${comment.author} commented on PR #${pr.number} (${task.key}): “${head(comment.body, 1500)}” — what should the answer be?`, 4000),
            why: head(item.action, 2000),
          })
          .returning({ id: questions.id });
        questionId = question!.id;
        await appendEvent(tx, { runId: run.id, taskId: task.id, payload: { type: "question.asked", questionId, text: head(comment.body, 4000) } });
      }
      if (action === "approval") {
        const [approval] = await tx
          .insert(approvals)
          .values({
            runId: run.id,
            taskId: task.id,
            kind: "architecture",
            reason: head(`${comment.author} on PR #${pr.number} asks for a design change: “${head(comment.body, 1500)}”. ${item.action}`, 4000),
            payload: { commentId: comment.id, followUpGoal: item.followUpGoal },
          })
          .returning({ id: approvals.id });
        approvalId = approval!.id;
      }
      await tx
        .update(reviewComments)
        .set({ category: item.category as CommentCategory, triageAction: head(item.action, 2000), handledAt: new Date(), questionId, approvalId })
        .where(eq(reviewComments.id, comment.id));
      await appendEvent(tx, {
        runId: run.id,
        taskId: task.id,
        payload: {
          type: "task.review_feedback",
          number: pr.number,
          commentId: comment.id,
          kind: comment.kind,
          author: head(comment.author, 200),
          category: item.category,
          action,
          excerpt: head(comment.body, 500),
        },
      });
    }
    if (!actionable.length) return { followUp: false, summary: `${items.length} comment(s) triaged; none needs a worker` };
    await startFollowUp(tx, ctx.boss, {
      taskId: task.id,
      from: ["verifying", "needs_review"],
      reason: `${actionable.length} review comment(s) on PR #${pr.number} to address (${[...new Set(actionable.map(({ item }) => item.category))].join(", ")}).`,
      followUp: {
        purpose: "review_feedback",
        prompt: reviewFeedbackPrompt({
          number: pr.number,
          comments: actionable.map(({ comment, item }) => ({ author: comment.author, path: comment.path, line: comment.line, body: comment.body, category: item.category, followUpGoal: item.followUpGoal })),
        }),
        commentIds: actionable.map(({ comment }) => comment.id),
      },
    });
    return { followUp: true, summary: `${actionable.length} comment(s) sent to the worker` };
  });
}
