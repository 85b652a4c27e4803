import { type Db, transactionWithRetry } from "../../db/client";
import { fenceAttempt } from "../../lib/attempts/fence-attempt";
import { appendEvent } from "../../lib/events/append-event";
import type { TurnPurpose } from "../../lib/events/types";
import { tail } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";
import { commitChanges } from "../git/commit-changes";
import type { TaskWorktree } from "./prepare-task-worktree";

/** Commits what the agent changed in one turn, as Foreman, and records the commit as an event. */
export async function commitTurn(
  db: Db,
  target: AttemptTarget,
  worktree: TaskWorktree,
  input: { title: string; turn: number; purpose: TurnPurpose; outcome: string },
): Promise<void> {
  const subject = input.title.replace(/\s+/g, " ").slice(0, 100);
  const body = `Codex worker, attempt ${target.attemptNumber}, turn ${input.turn} (${input.purpose}, ${input.outcome}); committed by Foreman.`;
  // The commit is made holding the attempt (fenced): a runner that lost it never commits over its new holder's work.
  await transactionWithRetry(db, async (tx) => {
    await fenceAttempt(tx, target);
    const commit = await commitChanges(worktree.path, `${subject}\n\n${body}`, worktree.keepOut);
    if (!commit) return;
    await appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: { type: "task.committed", attempt: target.attemptNumber, turn: input.turn, ...commit, stat: tail(commit.stat, 8192) },
    });
  });
}
