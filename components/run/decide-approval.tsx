"use client";

import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { HUMAN_NOTE_MAX } from "@/lib/tasks/task-actions";
import { inputClass } from "./panel-styles";
import { useRunAction } from "./use-run-action";

/** Approve or decline a design change a PR reviewer asked for; a note goes to the worker or onto the PR. */
export function DecideApproval({ runId, approvalId }: { runId: string; approvalId: string }) {
  const [note, setNote] = useState("");
  const { error, busy, run } = useRunAction(runId, (decision: "approve" | "reject") =>
    callApi(`/api/approvals/${approvalId}`, { method: "POST", body: JSON.stringify({ decision, ...(note.trim() ? { note: note.trim() } : {}) }) }),
  );
  return (
    <div className="space-y-1.5">
      <label className="block text-xs text-zinc-600 dark:text-zinc-400">
        Note (optional: to the worker if approved, on the PR if declined)
        <input className={inputClass} value={note} maxLength={HUMAN_NOTE_MAX} onChange={(event) => setNote(event.target.value)} />
      </label>
      <div className="flex gap-2">
        <Button type="button" disabled={busy} onClick={() => void run("approve")}>
          Approve change
        </Button>
        <Button type="button" variant="secondary" disabled={busy} onClick={() => void run("reject")}>
          Decline
        </Button>
      </div>
      <ErrorText>{error}</ErrorText>
    </div>
  );
}
