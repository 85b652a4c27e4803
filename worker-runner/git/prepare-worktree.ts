import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { copyIntoWorktree } from "../contain/safe-paths";
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

/** The FOREMAN_DATA_DIR a worktree made by worktreePath() lives in. */
export function dataDirOf(worktree: string): string {
  return path.resolve(worktree, "..", "..", "..");
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
    assertWorktreeLink(spec.repoPath, target);
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
  const second = await git(spec.repoPath, args, { allowFailure: true });
  if (second.code === 0) return;
  // The branch is still checked out in another runner's worktree (another FOREMAN_DATA_DIR sharing this
  // repository): that runner lost the task (the attempt is fenced), so this one takes the branch over.
  if (!exists || !/already checked out|already used by worktree/.test(second.stderr)) throw new GitError(args, second.code, second.stderr);
  await git(spec.repoPath, ["worktree", "add", "--force", target, branch]);
}

/**
 * The repository's env files (e.g. `.env`), copied from the checkout; never
 * committed by the runner. Never through a link a worker planted in a reused
 * worktree (PlantedLink).
 */
function copyEnvFiles(spec: WorktreeSpec, target: string) {
  for (const file of spec.envFiles) {
    const relative = path.normalize(file);
    if (path.isAbsolute(relative) || relative.startsWith("..")) continue;
    const source = path.join(spec.repoPath, relative);
    if (!existsSync(source)) continue;
    copyIntoWorktree(target, relative, source);
  }
}

/** A worktree's `.git` was changed by someone other than git (a worker): the runner's git must not follow it. */
export class TamperedWorktree extends Error {
  override name = "TamperedWorktree";
}

/**
 * The worktree's `.git` is the plain file git wrote, pointing into this
 * repository's own metadata. Anything else (a link, a directory with its own
 * config and hooks, a pointer elsewhere) would make the runner's git run what
 * a worker wrote, so it is refused.
 */
export function assertWorktreeLink(repoPath: string, worktree: string): void {
  const link = path.join(worktree, ".git");
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    throw new TamperedWorktree(`${link} is missing.`);
  }
  if (!stat.isFile()) throw new TamperedWorktree(`${link} is ${stat.isSymbolicLink() ? "a symbolic link" : "not the file git wrote"}.`);
  const pointer = /^gitdir: (.+)\n?$/.exec(readFileSync(link, "utf8"))?.[1]?.trim();
  const expected = realOrSelf(path.join(repoPath, ".git", "worktrees")) + path.sep;
  if (!pointer || !realOrSelf(path.resolve(worktree, pointer)).startsWith(expected)) {
    throw new TamperedWorktree(`${link} points to ${pointer ?? "nothing"}, not into ${expected}.`);
  }
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
