import { git } from "./git";

export type LocalMerge =
  | { merged: true; sha: string; fastForward: boolean; alreadyMerged: boolean }
  | { merged: false; conflicts: string[] };

export class DirtyCheckoutError extends Error {
  override name = "DirtyCheckoutError";
}

/**
 * Merges a task branch into the repository's base branch, never forcing:
 * a fast-forward when possible, else a merge commit. The merge is computed
 * without touching any working tree (`git merge-tree --write-tree`), so a
 * conflict changes nothing and is reported with its files. When the base
 * branch is checked out (the user's own checkout), it is moved there with
 * `git merge --ff-only`, which refuses to overwrite local changes; a checkout
 * with uncommitted changes to tracked files is refused up front.
 */
export async function mergeIntoBase(repoPath: string, baseBranch: string, branch: string, message: string): Promise<LocalMerge> {
  const baseRef = `refs/heads/${baseBranch}`;
  const base = (await git(repoPath, ["rev-parse", "--verify", `${baseRef}^{commit}`])).stdout.trim();
  const tip = (await git(repoPath, ["rev-parse", "--verify", `refs/heads/${branch}^{commit}`])).stdout.trim();
  if (await isAncestor(repoPath, tip, base)) return { merged: true, sha: base, fastForward: true, alreadyMerged: true };

  let target: string;
  const fastForward = await isAncestor(repoPath, base, tip);
  if (fastForward) {
    target = tip;
  } else {
    const tree = await git(repoPath, ["merge-tree", "--write-tree", "--name-only", "--no-messages", base, tip], { allowFailure: true });
    const [treeId = "", ...files] = tree.stdout.split("\n").filter(Boolean);
    if (tree.code === 1) return { merged: false, conflicts: [...new Set(files)].sort() };
    if (tree.code !== 0) throw new Error(`git merge-tree failed: ${tree.stderr.trim() || `exit ${tree.code}`}`);
    target = (await git(repoPath, ["commit-tree", treeId, "-p", base, "-p", tip, "-m", message])).stdout.trim();
  }

  const checkout = await checkoutOf(repoPath, baseRef);
  if (checkout) {
    const dirty = (await git(checkout, ["status", "--porcelain=v1", "--untracked-files=no"])).stdout.trim();
    if (dirty) {
      throw new DirtyCheckoutError(
        `${baseBranch} is checked out at ${checkout} with uncommitted changes (${dirty.split("\n").length} file(s)); commit or stash them, then accept again.`,
      );
    }
    // Moves the branch and the checked-out files together; refuses rather than overwrite anything.
    await git(checkout, ["merge", "--ff-only", "--quiet", target]);
  } else {
    // Compare-and-swap: fails if the base moved since it was read.
    await git(repoPath, ["update-ref", "-m", message, baseRef, target, base]);
  }
  return { merged: true, sha: target, fastForward, alreadyMerged: false };
}

async function isAncestor(repoPath: string, ancestor: string, of: string): Promise<boolean> {
  return (await git(repoPath, ["merge-base", "--is-ancestor", ancestor, of], { allowFailure: true })).code === 0;
}

/** The working tree that has `ref` checked out, if any (the main checkout or a linked worktree). */
async function checkoutOf(repoPath: string, ref: string): Promise<string | null> {
  const list = (await git(repoPath, ["worktree", "list", "--porcelain"])).stdout;
  for (const entry of list.split("\n\n")) {
    const lines = entry.split("\n");
    const worktree = lines.find((line) => line.startsWith("worktree "))?.slice("worktree ".length);
    if (worktree && lines.includes(`branch ${ref}`) && !lines.includes("bare")) return worktree;
  }
  return null;
}

/**
 * Starts merging the base into a task's worktree so a follow-up turn can
 * resolve the conflicts; Foreman's commit after the turn concludes the merge
 * (MERGE_HEAD is set). Returns the conflicting files ([] when it merged cleanly).
 */
export async function startBaseMerge(worktree: string, baseRef: string): Promise<string[]> {
  const result = await git(worktree, ["merge", "--no-ff", "--no-commit", "--quiet", baseRef], { allowFailure: true });
  if (result.code === 0) return [];
  const unmerged = (await git(worktree, ["diff", "--name-only", "--diff-filter=U"])).stdout.split("\n").filter(Boolean);
  if (unmerged.length === 0) throw new Error(`Merging ${baseRef} into the task branch failed: ${result.stderr.trim() || result.stdout.trim()}`);
  return unmerged;
}
