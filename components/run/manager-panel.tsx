"use client";

import { memo } from "react";
import { DECIDED_ONE_BY_ONE } from "@/lib/approvals/status";
import { planSchema, scopeReviewSchema } from "@/lib/plans/schema";
import { DecideApproval } from "./decide-approval";
import { panelClass } from "./panel-styles";
import { PlanDependencies } from "./plan-dependencies";
import { PlanEditor } from "./plan-editor";
import { QuestionsForm } from "./questions-form";
import { ScopeReviewPanel } from "./scope-review-panel";
import type { ClientApproval, ClientQuestion, ClientRun } from "./snapshot";

/**
 * The manager's side of the run: review, questions, plan approval, pending
 * approvals, summary. Memoized on its own slices of the snapshot: a card's
 * live line never renders it again.
 */
export const ManagerPanel = memo(function ManagerPanel({
  run,
  questions,
  approvals,
  canOperate,
}: {
  run: ClientRun;
  questions: ClientQuestion[];
  approvals: ClientApproval[];
  canOperate: boolean;
}) {
  const review = scopeReviewSchema.safeParse(run.review);
  const plan = planSchema.safeParse(run.plan);
  const openQuestions = questions.filter((question) => question.status === "open");
  const pending = approvals.filter((approval) => approval.status === "pending");

  return (
    <section aria-labelledby="manager-heading" className="space-y-3" data-testid="manager-panel">
      <h2 id="manager-heading" className="text-sm font-semibold">
        Manager
      </h2>
      {run.status === "completed" && run.summary ? (
        <div className={panelClass}>
          <h3 className="font-medium">Run summary</h3>
          <p className="whitespace-pre-wrap">{run.summary}</p>
        </div>
      ) : null}
      {review.success ? (
        <ScopeReviewPanel review={review.data} />
      ) : run.status === "reviewing" ? (
        <p className={`${panelClass} text-zinc-500`}>The manager is reviewing the scope…</p>
      ) : null}
      {openQuestions.length ? (
        <div className={panelClass}>
          <h3 className="font-medium">Questions for you</h3>
          {canOperate ? (
            <QuestionsForm key={openQuestions.map((question) => question.id).join()} runId={run.id} questions={openQuestions} />
          ) : (
            <ul className="space-y-2">
              {openQuestions.map((question) => (
                <li key={question.id} className="whitespace-pre-wrap" data-testid="open-question">
                  {question.text}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {plan.success ? (
        <div className={panelClass}>
          <h3 className="font-medium">{run.status === "awaiting_approval" ? "Proposed plan" : "Plan"}</h3>
          {run.status === "awaiting_approval" && canOperate ? (
            <PlanEditor key={`${run.version}:${JSON.stringify(plan.data.tasks)}`} runId={run.id} version={run.version} tasks={plan.data.tasks} />
          ) : (
            <>
              <ol className="space-y-1">
                {plan.data.tasks.map((task) => (
                  <li key={task.key}>
                    <span className="font-mono">{task.key}</span> · {task.title}
                  </li>
                ))}
              </ol>
              <PlanDependencies tasks={plan.data.tasks} />
            </>
          )}
        </div>
      ) : null}
      {pending.length ? (
        <div className={panelClass}>
          <h3 className="font-medium">Waiting for your approval</h3>
          <ul className="space-y-1" aria-label="Pending approvals">
            {pending.map((approval) => (
              <li key={approval.id} className="space-y-1.5" data-testid="pending-approval">
                <div>
                  <span className="mr-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-300">{approval.kind}</span>
                  <span className="whitespace-pre-wrap">{approval.reason}</span>
                </div>
                {canOperate && DECIDED_ONE_BY_ONE.includes(approval.kind) ? <DecideApproval runId={run.id} approvalId={approval.id} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
});
