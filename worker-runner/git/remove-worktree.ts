import { existsSync } from "node:fs";
import { removeInsideWorktree } from "../contain/safe-paths";
import { normalizePaths } from "./commit-changes";
import { git } from "./git";
import { withRepoLock } from "./repo-lock";

/**
 * Removes a finished task's worktree, but only when it holds nothing
 * uncommitted: anything but the `disposable` paths (copied env files, setup
 * leftovers) keeps it, and git itself refuses a dirty worktree without
 * --force, which is never used. The branch stays: it is the handoff.
 */
export async function removeWorktree(
  repoPath: string,
  worktree: string,
  disposable: readonly string[] = [],
): Promise<{ removed: boolean; reason: string | null }> {
  if (!existsSync(worktree)) return { removed: false, reason: "already gone" };
  const kept = normalizePaths(disposable);
  const status = (await git(worktree, ["status", "--porcelain=v1", "-z", "--untracked-files=all"])).stdout
    .split("\0")
    .filter(Boolean)
    .filter((entry) => {
      const file = entry.slice(3);
      return !(entry.startsWith("?? ") && kept.some((path) => file === path || file.startsWith(`${path}/`)));
    });
  if (status.length > 0) return { removed: false, reason: `it has uncommitted changes: ${status.slice(0, 20).join(", ")}` };
  // Never through a link a worker planted (a symlinked parent would delete outside the worktree).
  for (const entry of kept) removeInsideWorktree(worktree, entry);
  const result = await withRepoLock(repoPath, () => git(repoPath, ["worktree", "remove", worktree], { allowFailure: true }));
  return result.code === 0 ? { removed: true, reason: null } : { removed: false, reason: result.stderr.trim() };
}
