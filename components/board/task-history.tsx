"use client";

import type { ClientTask, ClientTaskDetail } from "@/components/run/snapshot";
import { VERIFICATION_LABEL, verificationTone } from "./handoff-labels";
import { formatCost, formatTokens, TASK_STATUS_LABEL, taskStatusTone } from "./task-card";
import { readable } from "@/lib/shared/humanize";

type LineageTask = NonNullable<ClientTaskDetail["parent"]>;

function LineageLink({ task, onOpen }: { task: LineageTask; onOpen: (taskId: string) => void }) {
  return (
    <button type="button" onClick={() => onOpen(task.id)} className="inline-flex items-center gap-1.5 rounded text-left hover:underline">
      <span className="font-mono font-semibold">{task.key}</span>
      <span className="break-words">{task.title}</span>
      <span className={`rounded px-1.5 py-0.5 text-xs ${taskStatusTone(task.status)}`}>{TASK_STATUS_LABEL[task.status]}</span>
    </button>
  );
}

/** Attempts with their tokens, each verification Foreman ran, and the follow-up lineage. */
export function TaskHistory({ task, detail, onOpenTask }: { task: ClientTask; detail: ClientTaskDetail | undefined; onOpenTask: (taskId: string) => void }) {
  const verificationsByAttempt = new Map<number, ClientTaskDetail["verifications"]>();
  for (const verification of detail?.verifications ?? []) {
    const key = verification.attemptNumber ?? 0;
    verificationsByAttempt.set(key, [...(verificationsByAttempt.get(key) ?? []), verification]);
  }
  return (
    <div className="space-y-3">
      {task.attempts.length === 0 ? (
        <p className="text-zinc-600 dark:text-zinc-400">Not started yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="reflow-table w-full text-left text-xs" data-testid="attempts">
            <thead className="text-zinc-600 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">#</th>
                <th scope="col" className="py-1 pr-2 font-medium">Status</th>
                <th scope="col" className="py-1 pr-2 font-medium">Verification</th>
                <th scope="col" className="py-1 pr-2 font-medium">Exit reason</th>
                <th scope="col" className="py-1 font-medium">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {task.attempts.map((attempt) => (
                <tr key={attempt.number} className="border-t border-zinc-100 align-top dark:border-zinc-800">
                  <td data-label="Attempt" className="py-1 pr-2">{attempt.number}</td>
                  <td data-label="Status" className="py-1 pr-2">{attempt.status}</td>
                  <td data-label="Verification" className="py-1 pr-2">
                    {(verificationsByAttempt.get(attempt.number) ?? []).map((verification) => (
                      <span key={verification.id} className={`mr-1 inline-block rounded px-1.5 ${verificationTone(verification.status)}`} title={verification.summary ?? undefined}>
                        {VERIFICATION_LABEL[verification.status]}
                      </span>
                    ))}
                  </td>
                  <td data-label="Exit reason" className="max-w-xs whitespace-pre-wrap break-words py-1 pr-2">{attempt.exitReason ? readable(attempt.exitReason) : "—"}</td>
                  <td data-label="Tokens" className="py-1 whitespace-nowrap">
                    {formatTokens(attempt.tokensInput, attempt.tokensOutput) ?? "—"}
                    {formatCost(attempt.estimatedCostUsd) ? ` · ${formatCost(attempt.estimatedCostUsd)}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {detail?.parent || (detail?.followUps.length ?? 0) > 0 ? (
        <div className="space-y-1 text-xs" data-testid="lineage">
          {detail?.parent ? (
            <p className="flex flex-wrap items-center gap-2">
              <span className="text-zinc-600 dark:text-zinc-400">Follow-up of</span>
              <LineageLink task={detail.parent} onOpen={onOpenTask} />
            </p>
          ) : null}
          {detail && detail.followUps.length > 0 ? (
            <div>
              <p className="text-zinc-600 dark:text-zinc-400">Follow-up tasks</p>
              <ul className="space-y-1">
                {detail.followUps.map((followUp) => (
                  <li key={followUp.id}>
                    <LineageLink task={followUp} onOpen={onOpenTask} />
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
