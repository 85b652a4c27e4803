import path from "node:path";
import { git, headSha } from "./git";

export type Commit = { sha: string; files: number; insertions: number; deletions: number; stat: string };

/** Worktree-relative paths (files or directories), without "./" or a trailing slash; outside paths are dropped. */
export function normalizePaths(paths: readonly string[]): string[] {
  return paths
    .map((entry) => path.normalize(entry).replace(/\/+$/, ""))
    .filter((entry) => entry && entry !== "." && !path.isAbsolute(entry) && !entry.startsWith(".."));
}

const isKeptOut = (file: string, keepOut: readonly string[]) => keepOut.some((entry) => file === entry || file.startsWith(`${entry}/`));

/** A commit written but not yet on the branch: `parent` is the HEAD it was made on. */
export type PreparedCommit = Commit & { parent: string };

/**
 * Commits everything the agent changed in the worktree (the sandbox keeps
 * `.git` read-only to it), as Foreman. `keepOut` are paths that are not the
 * agent's work (copied env files, what the setup script left untracked).
 * Returns null when nothing changed.
 */
export async function commitChanges(worktree: string, message: string, keepOut: readonly string[] = []): Promise<Commit | null> {
  if (!(await stageChanges(worktree, keepOut))) return null;
  // The porcelain commit: it also concludes a merge in progress (MERGE_HEAD) with both parents.
  await git(worktree, ["commit", "--quiet", "--no-verify", "-m", message]);
  const sha = await headSha(worktree);
  return { sha, ...(await diffStat(worktree, `${sha}^`, sha)) };
}

/** A merge is in progress in the worktree (a follow-up resolving conflicts with the base): its commit needs both parents. */
export async function isMerging(worktree: string): Promise<boolean> {
  return (await git(worktree, ["rev-parse", "-q", "--verify", "MERGE_HEAD"], { allowFailure: true })).code === 0;
}

/** Stages everything but `keepOut`; false when nothing changed. */
async function stageChanges(worktree: string, keepOut: readonly string[]): Promise<boolean> {
  const excludes = normalizePaths(keepOut).map((entry) => `:(exclude,literal)${entry}`);
  await git(worktree, ["add", "--all", "--", ".", ...excludes]);
  const staged = await git(worktree, ["diff", "--cached", "--quiet"], { allowFailure: true });
  return staged.code !== 0;
}

/**
 * The slow part of a commit, which moves nothing: stages the agent's changes,
 * writes their tree and a commit object on HEAD, and reads its stat. The
 * branch is moved by landCommit, which is quick enough to run inside a
 * transaction that holds the run's lock. Not for a worktree in the middle of
 * a merge (isMerging): that commit is commitChanges's.
 */
export async function prepareCommit(worktree: string, message: string, keepOut: readonly string[] = []): Promise<PreparedCommit | null> {
  if (!(await stageChanges(worktree, keepOut))) return null;
  const parent = await headSha(worktree);
  const tree = (await git(worktree, ["write-tree"])).stdout.trim();
  const sha = (await git(worktree, ["commit-tree", tree, "-p", parent, "-m", message])).stdout.trim();
  return { sha, parent, ...(await diffStat(worktree, parent, sha)) };
}

/**
 * Moves the branch to a prepared commit if it is still where the commit was
 * made (compare-and-swap); a repeat after the branch already moved there is
 * a success, so a retried transaction lands it once.
 */
export async function landCommit(worktree: string, commit: PreparedCommit): Promise<void> {
  const moved = await git(worktree, ["update-ref", "-m", "commit: Foreman", "HEAD", commit.sha, commit.parent], { allowFailure: true });
  if (moved.code === 0 || (await headSha(worktree)) === commit.sha) return;
  throw new Error(`the branch moved while Foreman committed the agent's work: ${moved.stderr.trim() || `exit ${moved.code}`}`);
}

/** Files, insertions, deletions and the `--stat` text between two commits. */
export async function diffStat(worktree: string, from: string, to: string): Promise<Omit<Commit, "sha">> {
  const numstat = (await git(worktree, ["diff", "--numstat", from, to])).stdout.trim().split("\n").filter(Boolean);
  let insertions = 0;
  let deletions = 0;
  for (const line of numstat) {
    const [added, removed] = line.split("\t");
    insertions += Number(added) || 0;
    deletions += Number(removed) || 0;
  }
  const stat = (await git(worktree, ["diff", "--stat=200", from, to])).stdout;
  return { files: numstat.length, insertions, deletions, stat };
}

/** Files that differ between `from` and the worktree as it is now (committed or not, untracked included), except `keepOut`. */
export async function changedFiles(worktree: string, from: string, keepOut: readonly string[] = []): Promise<string[]> {
  const committed = (await git(worktree, ["diff", "--name-only", "-z", from, "HEAD"])).stdout.split("\0").filter(Boolean);
  const pending = (await git(worktree, ["status", "--porcelain=v1", "-z", "--untracked-files=all"])).stdout
    .split("\0")
    .filter(Boolean)
    .map((entry) => entry.slice(3));
  const kept = normalizePaths(keepOut);
  return [...new Set([...committed, ...pending])].filter((file) => !isKeptOut(file, kept)).sort();
}

/** Untracked, not ignored entries, directories collapsed ("node_modules/" rather than its files). */
export async function untrackedEntries(worktree: string): Promise<string[]> {
  const status = (await git(worktree, ["status", "--porcelain=v1", "-z", "--untracked-files=normal"])).stdout;
  return status
    .split("\0")
    .filter((entry) => entry.startsWith("?? "))
    .map((entry) => entry.slice(3));
}

/** The diff of the task's own work, for the handoff. */
export async function taskDiff(worktree: string, from: string, maxBytes: number): Promise<string> {
  const diff = (await git(worktree, ["diff", "--no-color", from, "HEAD"])).stdout;
  return diff.length > maxBytes ? `${diff.slice(0, maxBytes)}\n… (diff cut at ${maxBytes} bytes)\n` : diff;
}
