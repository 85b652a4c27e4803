"use client";

import { useEffect, useMemo, useRef } from "react";
import type { ClientTask } from "@/components/run/snapshot";
import { Button, ErrorText } from "@/components/ui/form";
import { type EventLog, useEventLog } from "@/components/run/live-stores";
import { DiffViewer } from "./diff-viewer";
import { ReportComparison } from "./report-comparison";
import { TaskActions } from "./task-actions";
import { TaskActivity } from "./task-activity";
import { formatCost, formatTokens, TASK_STATUS_LABEL, taskStatusTone } from "./task-card";
import { ReviewComments, TaskHandoff } from "./task-handoff";
import { TaskHistory } from "./task-history";
import { useTaskDetail } from "./use-task-detail";
import { readable } from "@/lib/shared/humanize";

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="space-y-1.5" data-testid={testId}>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">{title}</h3>
      {children}
    </section>
  );
}

/** What the plan asked of the task. */
function TaskDefinition({ task }: { task: ClientTask }) {
  return (
    <>
      <Section title="Goal">
        <pre tabIndex={0} className="max-h-72 overflow-auto whitespace-pre-wrap rounded bg-zinc-50 p-3 font-mono text-xs dark:bg-zinc-900">{task.goal}</pre>
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
          <p className="text-zinc-600 dark:text-zinc-400">No task commands; the repository&apos;s verify command still runs.</p>
        )}
        {task.verification.manual ? <p className="whitespace-pre-wrap">Manual: {task.verification.manual}</p> : null}
      </Section>
      {task.dependsOn.length ? (
        <Section title="Depends on">
          <p>{task.dependsOn.join(", ")}</p>
        </Section>
      ) : null}
    </>
  );
}

/**
 * A task's details in a modal dialog: the native <dialog> keeps focus inside
 * and closes on Escape; focus goes back to the card that opened it. The
 * snapshot's task shows at once; reports, verification, diff and pull request
 * come from GET /api/tasks/:id, re-read when the task's events arrive.
 */
export function TaskDrawer({
  task,
  log,
  github,
  canOperate,
  onClose,
  onOpenTask,
}: {
  task: ClientTask;
  log: EventLog;
  github: string | null;
  canOperate: boolean;
  onClose: () => void;
  onOpenTask: (taskId: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const detail = useTaskDetail(task.id);
  const events = useEventLog(log);

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

  const taskEvents = useMemo(() => events.filter((event) => event.taskId === taskId), [events, taskId]);
  const titleId = `task-drawer-title-${task.id}`;
  const tokens = formatTokens(task.tokensInput, task.tokensOutput);
  const cost = formatCost(task.estimatedCostUsd);
  const data = detail.data;

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-4xl overflow-y-auto border-l border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
      data-testid="task-drawer"
    >
      <div className="space-y-5 p-4 text-sm sm:p-5">
        <div className="flex items-start justify-between gap-3">
          <div className="min-w-0 space-y-1">
            <p className="flex flex-wrap items-center gap-2 text-xs">
              <span className="font-mono font-semibold">{task.key}</span>
              <span className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">{task.kind}</span>
              <span className={`rounded px-1.5 py-0.5 ${taskStatusTone(task.status)}`}>{TASK_STATUS_LABEL[task.status]}</span>
              {task.currentAttempt > 0 ? <span className="text-zinc-600 dark:text-zinc-400">attempt {task.currentAttempt}</span> : null}
              {tokens ? <span className="text-zinc-600 dark:text-zinc-400" data-testid="task-tokens">{tokens}{cost ? ` · ${cost}` : ""}</span> : null}
            </p>
            <h2 id={titleId} className="break-words text-lg font-semibold">
              {task.title}
            </h2>
            {task.holdReason ? <p className="whitespace-pre-wrap break-words text-xs text-amber-800 dark:text-amber-300">{readable(task.holdReason)}</p> : null}
          </div>
          <Button variant="secondary" onClick={onClose} aria-label="Close task details">
            Close
          </Button>
        </div>

        {canOperate ? <TaskActions task={task} /> : null}

        {detail.error ? <ErrorText>Could not load the task&apos;s details: {detail.error.message}</ErrorText> : null}
        {detail.isPending ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400" role="status">
            Loading reports, verification and diff…
          </p>
        ) : null}

        <Section title="Handoff" testId="handoff">
          <TaskHandoff task={task} detail={data} github={github} />
        </Section>

        {data ? (
          <>
            <Section title="Report and verification">
              <ReportComparison reports={data.reports} verifications={data.verifications} />
            </Section>
            <Section title="Changes" testId="changes">
              {data.diff ? (
                <DiffViewer diff={data.diff} />
              ) : (
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  No handoff diff yet{task.changedFiles.length ? `; changed so far: ${task.changedFiles.join(", ")}` : ""}.
                </p>
              )}
            </Section>
            {data.pullRequest || data.reviewComments.length ? (
              <Section title="Review comments">
                <ReviewComments comments={data.reviewComments} />
              </Section>
            ) : null}
          </>
        ) : null}

        <Section title="Attempts and lineage">
          <TaskHistory task={task} detail={data} onOpenTask={onOpenTask} />
        </Section>

        <Section title="Activity">
          <TaskActivity events={taskEvents} />
        </Section>

        <TaskDefinition task={task} />
      </div>
    </dialog>
  );
}
