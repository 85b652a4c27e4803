"use client";

import { useEffect, useRef, useState } from "react";
import { toneClass } from "@/components/run/run-live-feed";
import type { ClientTask } from "@/components/run/snapshot";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { describeEvent } from "@/lib/events/describe";
import type { RunEvent } from "@/lib/events/types";
import { formatCost, formatTokens, TASK_STATUS_LABEL, taskStatusTone } from "./task-card";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="space-y-1.5">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</h3>
      {children}
    </section>
  );
}

/**
 * A task's details in a modal dialog: the native <dialog> keeps focus inside
 * and closes on Escape; focus goes back to the card that opened it.
 */
export function TaskDrawer({
  task,
  events,
  canOperate,
  onClose,
  onChanged,
}: {
  task: ClientTask;
  events: RunEvent[];
  canOperate: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);

  const taskId = task.id;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if (element?.open) element.close();
      // The card may have moved to another column meanwhile (a new element): find it by id.
      const card = document.querySelector<HTMLElement>(`[data-task-id="${taskId}"] button`);
      (card ?? opener)?.focus();
    };
  }, [taskId]);

  const taskEvents = events.filter((event) => event.taskId === task.id);
  const canRetry = canOperate && (task.status === "blocked" || task.status === "failed");
  const titleId = `task-drawer-title-${task.id}`;

  const retry = async () => {
    setError(null);
    setRetrying(true);
    try {
      await callApi(`/api/tasks/${task.id}/retry`, { method: "POST", body: "{}" });
      onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setRetrying(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-2xl overflow-y-auto border-l border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
      data-testid="task-drawer"
    >
      <div className="space-y-5 p-5 text-sm">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <p className="flex flex-wrap items-center gap-2 text-xs">
              <span className="font-mono font-semibold">{task.key}</span>
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">{task.kind}</span>
              <span className={`rounded px-1.5 py-0.5 ${taskStatusTone(task.status)}`}>{TASK_STATUS_LABEL[task.status]}</span>
            </p>
            <h2 id={titleId} className="break-words text-lg font-semibold">
              {task.title}
            </h2>
            {task.holdReason ? <p className="text-xs text-amber-800 dark:text-amber-300">{task.holdReason}</p> : null}
          </div>
          <Button variant="secondary" onClick={onClose} aria-label="Close task details">
            Close
          </Button>
        </div>

        {canRetry ? (
          <div className="space-y-2">
            <Button onClick={retry} disabled={retrying}>
              {retrying ? "Retrying…" : "Retry"}
            </Button>
            <ErrorText>{error}</ErrorText>
          </div>
        ) : null}

        <Section title="Goal">
          <pre className="max-h-72 overflow-auto whitespace-pre-wrap rounded bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900">{task.goal}</pre>
        </Section>
        <Section title="Scope">
          <ul className="space-y-0.5 font-mono text-xs">
            {task.scope.map((glob) => (
              <li key={glob}>{glob}</li>
            ))}
          </ul>
        </Section>
        <Section title="Definition of done">
          <ul className="list-disc space-y-0.5 pl-5">
            {task.definitionOfDone.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </Section>
        <Section title="Verification">
          {task.verification.commands.length ? (
            <ul className="space-y-0.5 font-mono text-xs">
              {task.verification.commands.map((command, index) => (
                <li key={index}>$ {command}</li>
              ))}
            </ul>
          ) : (
            <p className="text-zinc-500">No task commands; the repository's verify command still runs.</p>
          )}
          {task.verification.manual ? <p className="whitespace-pre-wrap">Manual: {task.verification.manual}</p> : null}
        </Section>
        {task.dependsOn.length ? (
          <Section title="Depends on">
            <p>{task.dependsOn.join(", ")}</p>
          </Section>
        ) : null}
        {task.branch || task.changedFiles.length ? (
          <Section title="Branch and changes">
            {task.branch ? <p className="font-mono text-xs">{task.branch}</p> : null}
            <ul className="space-y-0.5 font-mono text-xs">
              {task.changedFiles.map((file) => (
                <li key={file}>{file}</li>
              ))}
            </ul>
          </Section>
        ) : null}
        <Section title="Attempts">
          {task.attempts.length === 0 ? (
            <p className="text-zinc-500">Not started yet.</p>
          ) : (
            <table className="w-full text-left text-xs">
              <thead className="text-zinc-500">
                <tr>
                  <th className="py-1 font-medium">#</th>
                  <th className="py-1 font-medium">Status</th>
                  <th className="py-1 font-medium">Exit reason</th>
                  <th className="py-1 font-medium">Tokens</th>
                </tr>
              </thead>
              <tbody>
                {task.attempts.map((attempt) => (
                  <tr key={attempt.number} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-1">{attempt.number}</td>
                    <td className="py-1">{attempt.status}</td>
                    <td className="break-words py-1">{attempt.exitReason ?? "—"}</td>
                    <td className="py-1">
                      {formatTokens(attempt.tokensInput, attempt.tokensOutput) ?? "—"}
                      {formatCost(attempt.estimatedCostUsd) ? ` · ${formatCost(attempt.estimatedCostUsd)}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Activity">
          {taskEvents.length === 0 ? (
            <p className="text-zinc-500">No events for this task yet.</p>
          ) : (
            <ol className="max-h-96 divide-y divide-zinc-100 overflow-auto font-mono text-xs dark:divide-zinc-800" aria-live="polite">
              {taskEvents.map((event) => {
                const { text, tone } = describeEvent(event);
                return (
                  <li key={event.seq} className="flex gap-2 py-1">
                    <time className="shrink-0 text-zinc-500 dark:text-zinc-400" dateTime={event.createdAt}>
                      {new Date(event.createdAt).toLocaleTimeString()}
                    </time>
                    <span className={`min-w-0 break-words ${toneClass(tone)}`}>{text}</span>
                  </li>
                );
              })}
            </ol>
          )}
        </Section>
      </div>
    </dialog>
  );
}
