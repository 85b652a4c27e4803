import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { git, GitError, headSha } from "./git";
import { withRepoLock } from "./repo-lock";

export type WorktreeSpec = {
  /** The repository's local checkout. */
  repoPath: string;
  baseBranch: string;
  dataDir: string;
  runId: string;
  taskKey: string;
  /** Branches of finished dependencies, merged in before work starts. */
  dependencyBranches: string[];
  envFiles: string[];
};

export type Worktree = { path: string; branch: string; startSha: string | null; merged: string[]; reused: boolean };

const segment = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[.-]+/, "") || "task";

export function branchName(runId: string, taskKey: string): string {
  return `foreman/${runId.slice(0, 8)}/${segment(taskKey)}`;
}

export function worktreePath(dataDir: string, runId: string, taskKey: string): string {
  return path.join(dataDir, "worktrees", runId.slice(0, 8), segment(taskKey));
}

/** Why a worktree could not be prepared, worded for the task's card. */
export class WorktreeError extends Error {
  override name = "WorktreeError";
}

/**
 * The task's git worktree on `foreman/<run-short-id>/<task-key>`: created from
 * the base branch with finished dependencies merged in, or reused as it is
 * (a follow-up or resume continues on the same branch). `startSha` is where
 * the task's own changes begin; null when an existing worktree was reused.
 */
export async function prepareWorktree(spec: WorktreeSpec): Promise<Worktree> {
  const branch = branchName(spec.runId, spec.taskKey);
  const target = worktreePath(spec.dataDir, spec.runId, spec.taskKey);
  if (existsSync(path.join(target, ".git"))) {
    const current = (await git(target, ["rev-parse", "--abbrev-ref", "HEAD"])).stdout.trim();
    if (current !== branch) throw new WorktreeError(`${target} holds branch ${current}, not ${branch}; move it away to start again.`);
    copyEnvFiles(spec, target);
    return { path: target, branch, startSha: null, merged: [], reused: true };
  }
  await withRepoLock(spec.repoPath, () => addWorktree(spec, branch, target));
  const merged: string[] = [];
  for (const dependency of spec.dependencyBranches) {
    const contained = await git(target, ["merge-base", "--is-ancestor", dependency, "HEAD"], { allowFailure: true });
    if (contained.code === 0) continue;
    try {
      await git(target, ["merge", "--no-ff", "--no-edit", "-m", `Merge ${dependency} into ${branch}`, dependency]);
      merged.push(dependency);
    } catch (error) {
      const conflicts = (await git(target, ["diff", "--name-only", "--diff-filter=U"], { allowFailure: true })).stdout.trim().split("\n").filter(Boolean);
      await git(target, ["merge", "--abort"], { allowFailure: true });
      if (!(error instanceof GitError)) throw error;
      throw new WorktreeError(
        conflicts.length > 0
          ? `Merging the finished dependency ${dependency} conflicts in ${conflicts.join(", ")}; resolve it on ${branch} and retry.`
          : `Merging the finished dependency ${dependency} failed: ${error.message}`,
      );
    }
  }
  copyEnvFiles(spec, target);
  return { path: target, branch, startSha: await headSha(target), merged, reused: false };
}

async function addWorktree(spec: WorktreeSpec, branch: string, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const exists = (await git(spec.repoPath, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { allowFailure: true })).code === 0;
  if (!exists) {
    const base = await git(spec.repoPath, ["rev-parse", "--verify", "--quiet", `refs/heads/${spec.baseBranch}^{commit}`], { allowFailure: true });
    if (base.code !== 0) throw new WorktreeError(`The repository has no branch "${spec.baseBranch}" to start from.`);
  }
  const args = exists ? ["worktree", "add", target, branch] : ["worktree", "add", "-b", branch, target, spec.baseBranch];
  const first = await git(spec.repoPath, args, { allowFailure: true });
  if (first.code === 0) return;
  // A worktree directory deleted by hand stays registered until pruned; prune once and retry.
  if (!/already registered|already checked out|already used by worktree/.test(first.stderr)) throw new GitError(args, first.code, first.stderr);
  await git(spec.repoPath, ["worktree", "prune"]);
  await git(spec.repoPath, args);
}

/** The repository's env files (e.g. `.env`), copied from the checkout; never committed by the runner. */
function copyEnvFiles(spec: WorktreeSpec, target: string) {
  for (const file of spec.envFiles) {
    const relative = path.normalize(file);
    if (path.isAbsolute(relative) || relative.startsWith("..")) continue;
    const source = path.join(spec.repoPath, relative);
    if (!existsSync(source)) continue;
    mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    copyFileSync(source, path.join(target, relative));
  }
}
