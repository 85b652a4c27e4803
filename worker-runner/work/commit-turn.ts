import { type Db, type Queryable, transactionWithRetry } from "../../db/client";
import { fenceAttempt, holdsAttempt } from "../../lib/attempts/fence-attempt";
import { appendEvent } from "../../lib/events/append-event";
import type { TurnPurpose } from "../../lib/events/types";
import { tail } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";
import { type Commit, commitChanges, isMerging, landCommit, prepareCommit } from "../git/commit-changes";
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
  const message = `${subject}\n\n${body}`;
  const record = (tx: Queryable, commit: Commit) =>
    appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: { type: "task.committed", attempt: target.attemptNumber, turn: input.turn, ...commit, stat: tail(commit.stat, 8192) },
    });
  if (!(await holdsAttempt(db, target))) return;
  if (await isMerging(worktree.path)) {
    // A follow-up that resolved a merge with the base (rare): the porcelain commit concludes it, under the fence.
    await transactionWithRetry(db, async (tx) => {
      await fenceAttempt(tx, target);
      const commit = await commitChanges(worktree.path, message, worktree.keepOut);
      if (commit) await record(tx, commit);
    });
    return;
  }
  // Staging, hashing and the stat run outside any transaction: under the run's lock they held up every other
  // worker's events (six git processes per commit; seconds at 32 workers on a busy machine).
  const prepared = await prepareCommit(worktree.path, message, worktree.keepOut);
  if (!prepared) return;
  const { parent: _parent, ...commit } = prepared;
  // The branch moves holding the attempt (fenced): a runner that lost it never commits over its new holder's work.
  await transactionWithRetry(db, async (tx) => {
    await fenceAttempt(tx, target);
    await landCommit(worktree.path, prepared);
    await record(tx, commit);
  });
}
