"use client";

import { useId, useState } from "react";
import type { ClientTask } from "@/components/run/snapshot";
import { useRunAction } from "@/components/run/use-run-action";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { manualChecklist } from "@/lib/tasks/manual-checklist";
import { HUMAN_NOTE_MAX, type TaskAction, taskActionAllowed } from "@/lib/tasks/task-actions";

type Step = { verb: TaskAction; body: object; message: string };

/**
 * What an operator can do with a task from its drawer: accept or reject a
 * task waiting for review, retry a blocked or failed one, merge an open pull
 * request. The server decides; its refusal (`{error: {message}}`) is shown as is.
 */
export function TaskActions({ task }: { task: ClientTask }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useRunAction(task.runId, ({ verb, body }: Step) => callApi(`/api/tasks/${task.id}/${verb}`, { method: "POST", body: JSON.stringify(body) }), {
    taskId: task.id,
    onSuccess: (_result, { message }) => {
      setDone(message);
      setRejecting(false);
      setReason("");
    },
  });
  const reasonId = useId();
  // A ui task is accepted against its manual test plan: every step ticked first.
  const steps = task.kind === "ui" ? manualChecklist(task.verification.manual) : [];
  const [ticked, setTicked] = useState<ReadonlySet<number>>(new Set());
  const planChecked = ticked.size === steps.length;

  const reviewable = taskActionAllowed("accept", task.status);
  const retryable = taskActionAllowed("retry", task.status);
  const mergeable = task.pullRequest?.state === "open";
  // Local hand-off: a done task's branch can still be merged into the base branch from here.
  const mergeableLocally = !task.pullRequest && task.status === "done" && taskActionAllowed("merge", task.status) && Boolean(task.branch);
  const error = problem ?? action.error;
  // After an action the section stays while the drawer is open, so its outcome can be read even once the buttons no longer apply.
  if (!reviewable && !retryable && !mergeable && !mergeableLocally && !done && !error) return null;

  const post = (verb: TaskAction, body: object, message: string) => {
    setDone(null);
    setProblem(null);
    return action.run({ verb, body, message });
  };

  return (
    <section aria-label="Actions" className="space-y-2" data-testid="task-actions">
      {reviewable && steps.length > 0 ? (
        <fieldset className="space-y-1 text-xs" data-testid="manual-checklist">
          <legend className="font-medium">Manual test plan: tick each step you checked, then accept</legend>
          {steps.map((step, index) => (
            <label key={index} className="flex items-start gap-2">
              <input
                type="checkbox"
                className="mt-0.5"
                checked={ticked.has(index)}
                onChange={(event) => {
                  const next = new Set(ticked);
                  if (event.target.checked) next.add(index);
                  else next.delete(index);
                  setTicked(next);
                }}
              />
              <span className="break-words">{step}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {reviewable ? (
          <>
            <Button disabled={action.busy || !planChecked} onClick={() => void post("accept", {}, "Accepted.")}>
              Accept
            </Button>
            <Button variant="danger" disabled={action.busy} aria-expanded={rejecting} onClick={() => setRejecting(!rejecting)}>
              Reject…
            </Button>
          </>
        ) : null}
        {retryable ? (
          <Button disabled={action.busy} onClick={() => void post("retry", {}, "A new attempt was started.")}>
            Retry
          </Button>
        ) : null}
        {mergeable && task.pullRequest ? (
          <Button disabled={action.busy} onClick={() => void post("merge", {}, `Merge of #${task.pullRequest!.number} requested.`)}>
            Merge #{task.pullRequest.number}
          </Button>
        ) : null}
        {mergeableLocally ? (
          <Button variant="secondary" disabled={action.busy} onClick={() => void post("merge", {}, `Merging ${task.branch} into the base branch…`)}>
            Merge branch into base
          </Button>
        ) : null}
      </div>
      {rejecting && reviewable ? (
        <form
          className="space-y-2"
          aria-label="Reject the task"
          onSubmit={(event) => {
            event.preventDefault();
            const trimmed = reason.trim();
            if (!trimmed) {
              setProblem("Say why you reject it: the reason goes back to the worker.");
              return;
            }
            void post("reject", { reason: trimmed }, "Rejected; the worker gets your reason.");
          }}
        >
          <label htmlFor={reasonId} className="block text-xs font-medium">
            Why? The worker gets this as its next instruction.
          </label>
          <textarea
            id={reasonId}
            required
            rows={3}
            maxLength={HUMAN_NOTE_MAX}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-950"
          />
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={action.busy || reason.trim().length === 0}>
              Reject
            </Button>
            <Button type="button" variant="secondary" onClick={() => setRejecting(false)}>
              Keep it
            </Button>
          </div>
        </form>
      ) : null}
      <ErrorText>{error}</ErrorText>
      {done && !error ? (
        <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
          {done}
        </p>
      ) : null}
    </section>
  );
}
