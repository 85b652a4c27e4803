import type { Db } from "../../db/client";
import { reports } from "../../db/schema";
import type { HandoffDiff } from "../../lib/diffs/handoff-diff";
import { tail } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";
import { diffStat, taskDiff } from "../git/commit-changes";
import type { TaskWorktree } from "./prepare-task-worktree";

const DIFF_MAX = 1024 * 1024;

/** The diff and diffstat of the task's own work, kept in the database for the handoff (the web may not see this disk). */
export async function storeHandoffDiff(db: Db, target: AttemptTarget, worktree: TaskWorktree): Promise<void> {
  const stat = await diffStat(worktree.path, worktree.startSha, "HEAD");
  const diff = await taskDiff(worktree.path, worktree.startSha, DIFF_MAX);
  await db.insert(reports).values({
    runId: target.runId,
    taskId: target.taskId,
    attemptId: target.attemptId,
    kind: "handoff_diff",
    payload: { branch: worktree.branch, startSha: worktree.startSha, ...stat, stat: tail(stat.stat, 16_384) } satisfies HandoffDiff,
    raw: diff,
    valid: true,
  });
}
