import { execFile } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/**
 * The real git CLI against the fake's bare repositories: they are the single
 * source of truth for branches and commits, exactly like a GitHub remote.
 */

export type GitResult = { code: number; stdout: string; stderr: string };
export type GitIdentity = { name: string; email: string };

type GitOptions = { gitDir?: string; cwd?: string; env?: Record<string, string> };

/** Runs git; a non-zero exit is returned, not thrown (merge-tree and friends speak through it). */
export function git(args: string[], options: GitOptions = {}): Promise<GitResult> {
  const fullArgs = options.gitDir ? [`--git-dir=${options.gitDir}`, ...args] : args;
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      fullArgs,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

export async function gitOk(args: string[], options: GitOptions = {}): Promise<string> {
  const result = await git(args, options);
  if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

const identityEnv = (author: GitIdentity, committer: GitIdentity = author) => ({
  GIT_AUTHOR_NAME: author.name,
  GIT_AUTHOR_EMAIL: author.email,
  GIT_COMMITTER_NAME: committer.name,
  GIT_COMMITTER_EMAIL: committer.email,
});

/** GitHub commits merges as itself, authored by the user who pressed the button. */
export const GITHUB_COMMITTER: GitIdentity = { name: "GitHub", email: "noreply@github.com" };

export async function initBareRepo(gitDir: string, defaultBranch: string): Promise<void> {
  await mkdir(path.dirname(gitDir), { recursive: true });
  await gitOk(["init", "--bare", "-q", "-b", defaultBranch, gitDir]);
  // git-http-backend refuses pushes to anonymous users unless receive-pack is switched on explicitly.
  await gitOk(["config", "http.receivepack", "true"], { gitDir });
}

/** Pushes every branch and tag of a local repository into the bare one. */
export async function seedFromRepo(gitDir: string, source: string): Promise<void> {
  await gitOk(["-C", source, "push", "-q", gitDir, "refs/heads/*:refs/heads/*"]);
  await gitOk(["-C", source, "push", "-q", "--tags", gitDir]);
}

/** One initial commit holding `files` on `branch`. */
export async function seedFromFiles(gitDir: string, files: Record<string, string>, branch: string, author: GitIdentity): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "fake-github-seed-"));
  try {
    await gitOk(["init", "-q", "-b", branch, work]);
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(work, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    await gitOk(["-C", work, "add", "-A"]);
    await gitOk(["-C", work, "commit", "-q", "--allow-empty", "-m", "Initial commit"], { env: identityEnv(author) });
    await gitOk(["-C", work, "push", "-q", gitDir, `${branch}:refs/heads/${branch}`]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function branchTips(gitDir: string): Promise<Map<string, string>> {
  const out = await gitOk(["for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads"], { gitDir });
  const tips = new Map<string, string>();
  for (const line of out.split("\n").filter(Boolean)) {
    const [branch, sha] = line.split(" ");
    tips.set(branch!, sha!);
  }
  return tips;
}

/** A branch name, tag or sha to a commit sha; null when it names nothing. Branches win, as on GitHub. */
export async function resolveCommit(gitDir: string, ref: string): Promise<string | null> {
  // A ref from a URL must never reach git as an option.
  if (ref.startsWith("-")) return null;
  for (const candidate of [`refs/heads/${ref}`, `refs/tags/${ref}`, ref]) {
    const result = await git(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`], { gitDir });
    if (result.code === 0) return result.stdout.trim();
  }
  return null;
}

export async function branchSha(gitDir: string, branch: string): Promise<string | null> {
  const result = await git(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], { gitDir });
  return result.code === 0 ? result.stdout.trim() : null;
}

export async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await git(["merge-base", "--is-ancestor", ancestor, descendant], { gitDir });
  if (result.code > 1) throw new Error(`git merge-base failed: ${result.stderr.trim()}`);
  return result.code === 0;
}

/** The tree a merge of `head` into `base` would have; `clean: false` on conflicts. */
export async function mergeTree(gitDir: string, base: string, head: string): Promise<{ clean: boolean; tree: string }> {
  const result = await git(["merge-tree", "--write-tree", "--no-messages", base, head], { gitDir });
  if (result.code > 1) throw new Error(`git merge-tree failed: ${result.stderr.trim()}`);
  return { clean: result.code === 0, tree: result.stdout.split("\n")[0]!.trim() };
}

export async function commitTree(gitDir: string, tree: string, parents: string[], message: string, author: GitIdentity): Promise<string> {
  const parentArgs = parents.flatMap((parent) => ["-p", parent]);
  return gitOk(["commit-tree", tree, ...parentArgs, "-m", message], { gitDir, env: identityEnv(author, GITHUB_COMMITTER) });
}

/** Moves a branch only if it still points at `oldSha`; false when someone pushed in between. */
export async function updateBranch(gitDir: string, branch: string, newSha: string, oldSha: string): Promise<boolean> {
  const result = await git(["update-ref", `refs/heads/${branch}`, newSha, oldSha], { gitDir });
  return result.code === 0;
}

export async function diffStats(
  gitDir: string,
  base: string,
  head: string,
): Promise<{ commits: number; additions: number; deletions: number; changedFiles: number }> {
  const mergeBase = await git(["merge-base", base, head], { gitDir });
  const from = mergeBase.code === 0 ? mergeBase.stdout.trim() : base;
  const commits = Number(await gitOk(["rev-list", "--count", `${from}..${head}`], { gitDir }));
  const numstat = await gitOk(["diff", "--numstat", from, head], { gitDir });
  let additions = 0;
  let deletions = 0;
  const lines = numstat.split("\n").filter(Boolean);
  for (const line of lines) {
    const [added, deleted] = line.split("\t");
    // Binary files show "-": they count as changed, with no lines.
    additions += Number(added) || 0;
    deletions += Number(deleted) || 0;
  }
  return { commits, additions, deletions, changedFiles: lines.length };
}

/** Replays base..head onto base in a throwaway worktree; null when a commit does not apply. */
export async function rebaseCommits(gitDir: string, base: string, head: string, committer: GitIdentity): Promise<string | null> {
  const work = await mkdtemp(path.join(os.tmpdir(), "fake-github-rebase-"));
  const tree = path.join(work, "tree");
  try {
    await gitOk(["worktree", "add", "-q", "--detach", tree, head], { gitDir });
    const env = { GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email };
    const rebased = await git(["-C", tree, "rebase", "-q", base], { env });
    if (rebased.code !== 0) {
      await git(["-C", tree, "rebase", "--abort"]);
      return null;
    }
    return await gitOk(["-C", tree, "rev-parse", "HEAD"]);
  } finally {
    await git(["worktree", "remove", "--force", tree], { gitDir });
    await rm(work, { recursive: true, force: true });
    await git(["worktree", "prune"], { gitDir });
  }
}
