"use client";

import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import type { PlanTask } from "@/lib/plans/schema";
import { inputClass } from "./panel-styles";
import { PlanDependencies } from "./plan-dependencies";
import { useRunAction } from "./use-run-action";

/** Globs or lines typed one per line or comma-separated. */
function splitList(value: string, commas: boolean): string[] {
  return value
    .split(commas ? /[\n,]/ : /\n/)
    .map((item) => item.trim())
    .filter(Boolean);
}

type DraftTask = PlanTask & { scopeText: string; doneText: string; dependsText: string; commandsText: string };

const toDraft = (task: PlanTask): DraftTask => ({
  ...task,
  scopeText: task.scope.join("\n"),
  doneText: task.definitionOfDone.join("\n"),
  dependsText: task.dependsOn.join(", "),
  commandsText: task.verification.commands.join("\n"),
});

/** The plan the editor holds, as the API takes it. */
function toPlanOf(draft: DraftTask[]): PlanTask[] {
  const kept = new Set(draft.map((task) => task.key));
  return draft.map(({ scopeText, doneText, dependsText, commandsText, ...task }) => ({
    ...task,
    scope: splitList(scopeText, true),
    definitionOfDone: splitList(doneText, false),
    verification: { ...task.verification, commands: splitList(commandsText, false) },
    // A dependency on a dropped task is dropped with it.
    dependsOn: splitList(dependsText, true).filter((key) => kept.has(key)),
  }));
}

/** The next free key after the draft's own (T1, T2, …). */
function nextKey(draft: DraftTask[]): string {
  const used = draft.map((task) => Number(task.key.slice(1))).filter(Number.isFinite);
  return `T${Math.max(0, ...used) + 1}`;
}

/**
 * What the plan editor sends: a save of the edited plan, its approval, both
 * (unsaved edits are never lost to "Approve"), or a request for a new one.
 */
type PlanStep = { verb: "plan"; tasks: PlanTask[] } | { verb: "approve" } | { verb: "saveAndApprove"; tasks: PlanTask[] } | { verb: "replan"; comment: string };

/** The proposed plan, editable by an operator: goals, scopes, dependencies, dropped tasks; then approve or ask again. */
export function PlanEditor({ runId, version: shownVersion, tasks }: { runId: string; version: number; tasks: PlanTask[] }) {
  // A save bumps the run's version; approve with it even before the re-read lands.
  const [savedVersion, setSavedVersion] = useState(shownVersion);
  const version = Math.max(shownVersion, savedVersion);
  const [draft, setDraft] = useState<DraftTask[]>(() => tasks.map(toDraft));
  const [comment, setComment] = useState("");
  const post = (verb: "plan" | "approve" | "replan", body: object) => callApi<{ version?: number }>(`/api/runs/${runId}/${verb}`, { method: "POST", body: JSON.stringify(body) });
  const action = useRunAction(
    runId,
    async (step: PlanStep) => {
      if (step.verb === "saveAndApprove") {
        // The edits first, then the approval of exactly that version: what is approved is what was shown.
        const saved = await post("plan", { version, tasks: step.tasks });
        return post("approve", { version: saved.version ?? version });
      }
      return post(step.verb, step.verb === "plan" ? { version, tasks: step.tasks } : step.verb === "approve" ? { version } : { comment: step.comment });
    },
    { onSuccess: (saved, step) => (step.verb === "plan" && saved.version !== undefined ? setSavedVersion(saved.version) : undefined) },
  );
  // Unsaved: what the editor holds differs from the plan as last saved (shown).
  const dirty = JSON.stringify(toPlanOf(draft)) !== JSON.stringify(tasks);
  const update = (key: string, patch: Partial<DraftTask>) => setDraft(draft.map((task) => (task.key === key ? { ...task, ...patch } : task)));
  const toPlan = () => toPlanOf(draft);

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
              <span className="text-xs font-medium">Title</span>
              <input value={task.title} onChange={(event) => update(task.key, { title: event.target.value })} maxLength={200} className={inputClass} />
            </label>
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
              <span className="text-xs font-medium">Verification commands (one per line; Foreman runs them after the worker)</span>
              <textarea rows={2} value={task.commandsText} onChange={(event) => update(task.key, { commandsText: event.target.value })} className={`${inputClass} font-mono text-xs`} />
            </label>
            <label className="block space-y-1">
              <span className="text-xs font-medium">Depends on (task keys)</span>
              <input value={task.dependsText} onChange={(event) => update(task.key, { dependsText: event.target.value })} className={`${inputClass} font-mono`} />
            </label>
          </li>
        ))}
      </ol>
      <Button
        type="button"
        variant="secondary"
        disabled={draft.length >= 100}
        onClick={() => {
          const key = nextKey(draft);
          setDraft([...draft, toDraft({ key, title: "New task", kind: "code", goal: "", scope: [], definitionOfDone: [], verification: { commands: [], manual: null }, dependsOn: [] })]);
        }}
      >
        Add a task
      </Button>
      <PlanDependencies tasks={toPlan()} />
      <ErrorText>{action.error}</ErrorText>
      {dirty ? (
        <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="plan-unsaved">
          You have unsaved changes: approving saves them first.
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={action.busy || draft.length === 0 || !dirty} onClick={() => void action.run({ verb: "plan", tasks: toPlan() })}>
          Save changes
        </Button>
        <Button type="button" disabled={action.busy || draft.length === 0} onClick={() => void action.run(dirty ? { verb: "saveAndApprove", tasks: toPlan() } : { verb: "approve" })}>
          {dirty ? "Save and approve plan" : "Approve plan"}
        </Button>
      </div>
      <form
        aria-label="Ask for a new plan"
        className="space-y-2"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run({ verb: "replan", comment: comment.trim() });
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
