import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findCheckFiles, packageScriptNames, readPackageScripts } from "../../lib/verifications/check-files";
import type { CheckFile } from "../../lib/verifications/check-files";
import { normalizePaths } from "../git/commit-changes";
import { git } from "../git/git";
import { withRepoLock } from "../git/repo-lock";

export type StartChecks = {
  checks: CheckFile[];
  /** package.json scripts the commands run (checks too, field by field). */
  scripts: string[];
  /** package.json at the task's start, if any. */
  packageJson: string | null;
};

/** The checks as they were at the task's start: listed from the start commit, never from the worker's tree. */
export async function listStartChecks(
  worktree: string,
  startSha: string,
  input: { commands: readonly string[]; testPatterns: readonly string[] | null; listed: readonly string[] },
): Promise<StartChecks> {
  const files = (await git(worktree, ["ls-tree", "-r", "-z", "--name-only", startSha])).stdout.split("\0").filter(Boolean);
  const packageJson = await showAt(worktree, startSha, "package.json");
  const checks = findCheckFiles({ files, commands: input.commands, testPatterns: input.testPatterns, listed: input.listed, packageJson });
  return { checks, scripts: packageScriptNames(input.commands, packageJson), packageJson };
}

/** A file's text at a commit, or null when it had none. */
export async function showAt(worktree: string, sha: string, file: string): Promise<string | null> {
  const result = await git(worktree, ["show", `${sha}:${file}`], { allowFailure: true });
  return result.code === 0 ? result.stdout : null;
}

/**
 * Runs `work` in a scratch worktree holding the worker's code with every check
 * restored to its start version (package.json: only the scripts the commands
 * run), so a check the worker edited or deleted runs as it was. The worker's
 * worktree is not touched; the scratch copy is removed afterwards, whatever happens.
 * Setup leftovers (`keepOut`, e.g. node_modules) are linked in from the worker's worktree.
 */
export async function inStartVersion<T>(
  input: { repoPath: string; worktree: string; startSha: string; start: StartChecks; keepOut: readonly string[] },
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const scratch = `${input.worktree}.start-checks`;
  await dropScratch(input.repoPath, scratch);
  const head = (await git(input.worktree, ["rev-parse", "HEAD"])).stdout.trim();
  await withRepoLock(input.repoPath, () => git(input.repoPath, ["worktree", "add", "--detach", "--quiet", scratch, head]));
  try {
    const files = input.start.checks.map((check) => check.path);
    // Checks that existed at the start come back exactly as they were (deleted ones included).
    for (let i = 0; i < files.length; i += 200) await git(scratch, ["checkout", input.startSha, "--", ...files.slice(i, i + 200)]);
    restoreScripts(scratch, input.start);
    for (const entry of normalizePaths(input.keepOut)) {
      const from = path.join(input.worktree, entry);
      const to = path.join(scratch, entry);
      if (existsSync(from) && !existsSync(to) && !lstatSync(from).isSymbolicLink()) symlinkSync(from, to);
    }
    return await work(scratch);
  } finally {
    await dropScratch(input.repoPath, scratch);
  }
}

function restoreScripts(dir: string, start: StartChecks) {
  const file = path.join(dir, "package.json");
  if (start.scripts.length === 0 || !start.packageJson || !existsSync(file)) return;
  const before = readPackageScripts(start.packageJson);
  // A package.json the worker committed as a link is never read or written through: the start version replaces it.
  if (!lstatSync(file).isFile()) {
    rmSync(file, { force: true });
    writeFileSync(file, start.packageJson, { flag: "wx" });
    return;
  }
  try {
    const current = JSON.parse(readFileSync(file, "utf8")) as { scripts?: Record<string, string> };
    current.scripts = { ...current.scripts };
    for (const name of start.scripts) if (before[name] !== undefined) current.scripts[name] = before[name];
    writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
  } catch {
    // The worker's package.json does not parse: the start version is the check.
    writeFileSync(file, start.packageJson);
  }
}

async function dropScratch(repoPath: string, scratch: string) {
  await withRepoLock(repoPath, async () => {
    if (existsSync(scratch)) await git(repoPath, ["worktree", "remove", "--force", scratch], { allowFailure: true });
    rmSync(scratch, { recursive: true, force: true });
    await git(repoPath, ["worktree", "prune"], { allowFailure: true });
  });
}
