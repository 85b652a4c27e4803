"use client";

import { DECIDED_ONE_BY_ONE } from "@/lib/approvals/status";
import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { type PlanTask, planSchema, scopeReviewSchema } from "@/lib/plans/schema";
import { assertNever } from "@/lib/shared/assert-never";
import type { ClientQuestion, ClientSnapshot } from "./snapshot";

type Severity = "low" | "medium" | "high";

function riskClass(severity: Severity): string {
  switch (severity) {
    case "high":
      return "border-red-300 bg-red-50 font-medium text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200";
    case "medium":
      return "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200";
    case "low":
      return "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300";
    default:
      return assertNever(severity, "risk severity");
  }
}

const panelClass = "space-y-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900";
const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950";

function useAction(onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function QuestionsForm({ runId, questions, onChanged }: { runId: string; questions: ClientQuestion[]; onChanged: () => void }) {
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const action = useAction(onChanged);
  const filled = questions.filter((question) => (answers[question.id] ?? "").trim().length > 0);
  return (
    <form
      aria-label="Answer the manager's questions"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(() =>
          callApi(`/api/runs/${runId}/answers`, {
            method: "POST",
            body: JSON.stringify({ answers: filled.map((question) => ({ questionId: question.id, text: answers[question.id]!.trim() })) }),
          }),
        );
      }}
    >
      {questions.map((question) => (
        <label key={question.id} className="block space-y-1" data-testid="open-question">
          <span className="block whitespace-pre-wrap font-medium">{question.text}</span>
          {question.why ? <span className="block whitespace-pre-wrap text-xs text-zinc-500">{question.why}</span> : null}
          <textarea
            rows={3}
            value={answers[question.id] ?? ""}
            onChange={(event) => setAnswers({ ...answers, [question.id]: event.target.value })}
            className={inputClass}
          />
        </label>
      ))}
      <ErrorText>{action.error}</ErrorText>
      <Button type="submit" disabled={action.busy || filled.length === 0}>
        {action.busy ? "Sending…" : "Send answers"}
      </Button>
    </form>
  );
}

/** Globs or lines typed one per line or comma-separated. */
function splitList(value: string, commas: boolean): string[] {
  return value
    .split(commas ? /[\n,]/ : /\n/)
    .map((item) => item.trim())
    .filter(Boolean);
}

type DraftTask = PlanTask & { scopeText: string; doneText: string; dependsText: string };

function PlanEditor({ runId, version: shownVersion, tasks, onChanged }: { runId: string; version: number; tasks: PlanTask[]; onChanged: () => void }) {
  // A save bumps the run's version; approve with it even before the re-read lands.
  const [savedVersion, setSavedVersion] = useState(shownVersion);
  const version = Math.max(shownVersion, savedVersion);
  const [draft, setDraft] = useState<DraftTask[]>(() =>
    tasks.map((task) => ({ ...task, scopeText: task.scope.join("\n"), doneText: task.definitionOfDone.join("\n"), dependsText: task.dependsOn.join(", ") })),
  );
  const [comment, setComment] = useState("");
  const action = useAction(onChanged);
  const update = (key: string, patch: Partial<DraftTask>) => setDraft(draft.map((task) => (task.key === key ? { ...task, ...patch } : task)));
  const toPlan = (): PlanTask[] => {
    const kept = new Set(draft.map((task) => task.key));
    return draft.map(({ scopeText, doneText, dependsText, ...task }) => ({
      ...task,
      scope: splitList(scopeText, true),
      definitionOfDone: splitList(doneText, false),
      // A dependency on a dropped task is dropped with it.
      dependsOn: splitList(dependsText, true).filter((key) => kept.has(key)),
    }));
  };

  return (
    <div className="space-y-3">
      <ol className="space-y-3" aria-label="Proposed tasks">
        {draft.map((task) => (
          <li key={task.key} className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="plan-task" data-key={task.key}>
            <div className="flex items-start justify-between gap-2">
              <p className="min-w-0 break-words font-medium">
                <span className="font-mono">{task.key}</span> · {task.title} <span className="text-xs text-zinc-500">({task.kind})</span>
              </p>
              <Button type="button" variant="danger" aria-label={`Remove ${task.key}`} onClick={() => setDraft(draft.filter((other) => other.key !== task.key))}>
                Remove
              </Button>
            </div>
            <label className="block space-y-1">
              <span className="text-xs font-medium">Goal</span>
              <textarea rows={4} value={task.goal} onChange={(event) => update(task.key, { goal: event.target.value })} className={inputClass} />
            </label>
            <div className="grid gap-2 sm:grid-cols-2">
              <label className="block space-y-1">
                <span className="text-xs font-medium">Scope (globs, one per line or comma-separated)</span>
                <textarea rows={3} value={task.scopeText} onChange={(event) => update(task.key, { scopeText: event.target.value })} className={`${inputClass} font-mono text-xs`} />
              </label>
              <label className="block space-y-1">
                <span className="text-xs font-medium">Definition of done (one per line)</span>
                <textarea rows={3} value={task.doneText} onChange={(event) => update(task.key, { doneText: event.target.value })} className={inputClass} />
              </label>
            </div>
            <label className="block space-y-1">
              <span className="text-xs font-medium">Depends on (task keys)</span>
              <input value={task.dependsText} onChange={(event) => update(task.key, { dependsText: event.target.value })} className={`${inputClass} font-mono`} />
            </label>
          </li>
        ))}
      </ol>
      <Dependencies tasks={toPlan()} />
      <ErrorText>{action.error}</ErrorText>
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={action.busy || draft.length === 0}
          onClick={() =>
            action.run(async () => {
              const saved = await callApi<{ version: number }>(`/api/runs/${runId}/plan`, { method: "POST", body: JSON.stringify({ version, tasks: toPlan() }) });
              setSavedVersion(saved.version);
            })
          }
        >
          Save changes
        </Button>
        <Button type="button" disabled={action.busy} onClick={() => action.run(() => callApi(`/api/runs/${runId}/approve`, { method: "POST", body: JSON.stringify({ version }) }))}>
          Approve plan
        </Button>
      </div>
      <form
        aria-label="Ask for a new plan"
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(() => callApi(`/api/runs/${runId}/replan`, { method: "POST", body: JSON.stringify({ comment: comment.trim() }) }));
        }}
      >
        <label className="block space-y-1">
          <span className="text-xs font-medium">What should the new plan do differently?</span>
          <textarea rows={2} value={comment} onChange={(event) => setComment(event.target.value)} className={inputClass} />
        </label>
        <Button type="submit" variant="secondary" disabled={action.busy || comment.trim().length === 0}>
          Ask for a new plan
        </Button>
      </form>
    </div>
  );
}

/** "T3 after T1, T2": the plan's dependency graph as text. */
function Dependencies({ tasks }: { tasks: Pick<PlanTask, "key" | "dependsOn">[] }) {
  if (tasks.length === 0) return null;
  return (
    <div className="space-y-1">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Order</h3>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 font-mono text-xs" aria-label="Task dependencies" data-testid="dependencies">
        {tasks.map((task) => (
          <li key={task.key}>
            {task.key} {task.dependsOn.length ? `after ${task.dependsOn.join(", ")}` : "first"}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Approve or decline a design change a PR reviewer asked for; a note goes to the worker or onto the PR. */
function DecideApproval({ approvalId, onChanged }: { approvalId: string; onChanged: () => void }) {
  const [note, setNote] = useState("");
  const { error, busy, run } = useAction(onChanged);
  const decide = (decision: "approve" | "reject") =>
    run(() => callApi(`/api/approvals/${approvalId}`, { method: "POST", body: JSON.stringify({ decision, ...(note.trim() ? { note: note.trim() } : {}) }) }));
  return (
    <div className="space-y-1.5">
      <label className="block text-xs text-zinc-600 dark:text-zinc-400">
        Note (optional: to the worker if approved, on the PR if declined)
        <input className={inputClass} value={note} maxLength={4000} onChange={(event) => setNote(event.target.value)} />
      </label>
      <div className="flex gap-2">
        <Button type="button" disabled={busy} onClick={() => void decide("approve")}>
          Approve change
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => void decide("reject")}>
          Decline
        </Button>
      </div>
      <ErrorText>{error}</ErrorText>
    </div>
  );
}

/** The manager's side of the run: review, questions, plan approval, pending approvals, summary. */
export function ManagerPanel({ snapshot, canOperate, onChanged }: { snapshot: ClientSnapshot; canOperate: boolean; onChanged: () => void }) {
  const { run } = snapshot;
  const review = scopeReviewSchema.safeParse(run.review);
  const plan = planSchema.safeParse(run.plan);
  const openQuestions = snapshot.questions.filter((question) => question.status === "open");
  const pending = snapshot.approvals.filter((approval) => approval.status === "pending");
  const risks = review.success ? [...review.data.risks].sort((a, b) => Number(b.severity === "high") - Number(a.severity === "high")) : [];

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
        <div className={panelClass}>
          <h3 className="font-medium">Scope review</h3>
          <p className="whitespace-pre-wrap">{review.data.summary}</p>
          {review.data.tooBroad ? <p className="text-amber-800 dark:text-amber-300">The manager finds this scope too broad for one run.</p> : null}
          {risks.length ? (
            <ul className="space-y-1" aria-label="Risks">
              {risks.map((risk, index) => (
                <li key={index} className={`rounded border px-2 py-1 ${riskClass(risk.severity)}`}>
                  <span className="mr-2 text-xs uppercase">{risk.severity}</span>
                  {risk.text}
                </li>
              ))}
            </ul>
          ) : null}
          {review.data.collisionRisks.length ? (
            <div>
              <p className="text-xs font-medium text-zinc-500">Possible collisions</p>
              <ul className="list-disc pl-5">
                {review.data.collisionRisks.map((item, index) => (
                  <li key={index}>{item}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : run.status === "reviewing" ? (
        <p className={`${panelClass} text-zinc-500`}>The manager is reviewing the scope…</p>
      ) : null}
      {openQuestions.length ? (
        <div className={panelClass}>
          <h3 className="font-medium">Questions for you</h3>
          {canOperate ? (
            <QuestionsForm key={openQuestions.map((question) => question.id).join()} runId={run.id} questions={openQuestions} onChanged={onChanged} />
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
            <PlanEditor key={`${run.version}:${JSON.stringify(plan.data.tasks)}`} runId={run.id} version={run.version} tasks={plan.data.tasks} onChanged={onChanged} />
          ) : (
            <>
              <ol className="space-y-1">
                {plan.data.tasks.map((task) => (
                  <li key={task.key}>
                    <span className="font-mono">{task.key}</span> · {task.title}
                  </li>
                ))}
              </ol>
              <Dependencies tasks={plan.data.tasks} />
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
                {canOperate && DECIDED_ONE_BY_ONE.includes(approval.kind) ? <DecideApproval approvalId={approval.id} onChanged={onChanged} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
