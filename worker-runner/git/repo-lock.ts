import path from "node:path";

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` alone among this runner's worktree operations on one repository:
 * concurrent `git worktree add/prune/remove` on a shared repository race (a
 * prune can delete the admin entry of a worktree that is still being added).
 */
export function withRepoLock<T>(repoPath: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(repoPath);
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => {});
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
