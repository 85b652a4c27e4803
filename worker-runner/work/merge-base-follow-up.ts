import type { Db } from "../../db/client";
import { appendEvent } from "../../lib/events/append-event";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { git } from "../git/git";
import { startBaseMerge } from "../git/merge-into-base";
import { connectGitHub } from "../github/client";
import { fetchRemoteBase } from "../github/remote";
import type { Claim } from "./claim-attempt";
import type { TaskWorktree } from "./prepare-task-worktree";

/**
 * A conflict follow-up: merges the current base (the local branch, or
 * GitHub's after a fetch) into the task's worktree, leaving conflict markers
 * for the agent. From now on the task's own change is measured against that
 * base, so the base's files do not count as the task's (scope, diff).
 */
export async function mergeBaseForFollowUp(
  ctx: { db: Db; runtime: AgentRuntime },
  claim: Claim,
  target: AttemptTarget,
  worktree: TaskWorktree,
  from: "local" | "remote",
): Promise<TaskWorktree> {
  const { repository } = claim;
  let baseRef = `refs/heads/${repository.baseBranch}`;
  if (from === "remote") {
    const github = connectGitHub(ctx.runtime.github, repository);
    if (!github) throw new Error("The repository has no GitHub connection to fetch its base from.");
    baseRef = await fetchRemoteBase(worktree.path, github, repository.baseBranch);
  }
  const baseSha = (await git(worktree.path, ["rev-parse", "--verify", `${baseRef}^{commit}`])).stdout.trim();
  const conflicts = await startBaseMerge(worktree.path, baseRef);
  await appendEvent(ctx.db, {
    runId: target.runId,
    taskId: target.taskId,
    payload: { type: "task.worktree_ready", branch: worktree.branch, baseBranch: repository.baseBranch, startSha: baseSha, merged: [baseRef], reused: true },
  });
  if (conflicts.length) {
    await appendEvent(ctx.db, {
      runId: target.runId,
      taskId: target.taskId,
      payload: { type: "task.merge_conflict", via: from === "remote" ? "github" : "local", into: repository.baseBranch, files: conflicts.slice(0, 200) },
    });
  }
  return { ...worktree, startSha: baseSha };
}
