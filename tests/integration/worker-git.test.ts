import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { repositories, tasks } from "../../db/schema";
import { commitChanges, landCommit, prepareCommit } from "../../worker-runner/git/commit-changes";
import { prepareWorktree } from "../../worker-runner/git/prepare-worktree";
import { removeWorktree } from "../../worker-runner/git/remove-worktree";
import { commandEnv } from "../../worker-runner/codex/child-env";
import { commandConfinement } from "../../worker-runner/codex/places";
import { runCommand } from "../../worker-runner/verify/run-command";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { makeGitRepo, seedTask } from "../support/factories";
import { stillRunning } from "../support/processes";
import { gitOut, ofType, useWorkerHarness } from "../support/workers";

/** The runner's git and command handling around a worker: worktrees, setup, env files, commits, timeouts. */
const harness = await useWorkerHarness();
const { db } = harness;

const gitAs = (repo: string, ...args: string[]) =>
  execFileSync("git", ["-C", repo, "-c", "user.name=Someone", "-c", "user.email=someone@example.invalid", ...args], { encoding: "utf8" });

describe("worker worktrees", () => {
  it("start from the base branch with finished dependencies merged, run the setup script with its log kept, get env files that are never committed; a ui task then waits for a human", async () => {
    const { task, runId, repo } = await harness.seedWorkerTask({ scenario: "honest-worker", key: "T2", kind: "ui" });
    writeFileSync(path.join(repo!, ".env"), "SECRET=local-only\n");
    await db
      .update(repositories)
      .set({ setupScript: "echo setting up; mkdir -p .cache && echo ready > .cache/setup-done", envFiles: [".env"] })
      .where(eq(repositories.path, repo!));
    // T1 finished earlier on its own branch; T2 depends on it.
    const dependency = `foreman/${runId.slice(0, 8)}/T1`;
    gitAs(repo!, "checkout", "-q", "-b", dependency);
    writeFileSync(path.join(repo!, "base.txt"), "from T1\n");
    gitAs(repo!, "add", "base.txt");
    gitAs(repo!, "commit", "-qm", "T1 work");
    gitAs(repo!, "checkout", "-q", "main");
    await seedTask(db, { runId, key: "T1", title: "Earlier work", goal: "x", status: "done", branch: dependency });
    await db.update(tasks).set({ dependsOn: ["T1"] }).where(eq(tasks.id, task.id));

    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "needs_review" });
    const row = await harness.task(task.id);
    expect(row.holdReason).toBe("A ui task: a human confirms it with its manual test plan.");
    // Only the task's own change counts as changed: the merged dependency does not.
    expect(row.changedFiles).toEqual(["greeting.txt"]);

    const branch = row.branch!;
    expect(gitOut(repo!, "log", "--format=%s", `main..${branch}`).split("\n")).toEqual([
      "T2: Make the greeting say hello, world",
      `Merge ${dependency} into ${branch}`,
      "T1 work",
    ]);
    expect(gitOut(repo!, "show", `${branch}:base.txt`)).toBe("from T1");
    // Neither the copied env file nor what setup left behind is committed as the agent's work.
    expect(gitOut(repo!, "ls-tree", "-r", "--name-only", branch).split("\n")).toEqual(["README.md", "base.txt", "docs/notes.md", "greeting.txt", "test.sh"]);

    const events = await harness.events(task.id);
    expect(ofType(events, "task.worktree_ready")).toMatchObject([{ branch, baseBranch: "main", merged: [dependency], reused: false }]);
    const [setup] = ofType(events, "task.setup_finished");
    expect(setup).toMatchObject({ exitCode: 0, timedOut: false, artifacts: [".cache/"] });
    expect(setup!.outputTail).toContain("setting up");
    const log = path.join(harness.dataDir, "logs", runId.slice(0, 8), "T2", "setup.log");
    expect(readFileSync(log, "utf8")).toContain("setting up");

    // A task waiting for review keeps its worktree, env file included, for the human.
    const attempt = (await harness.attempt(task.id))!;
    expect(readFileSync(path.join(attempt.worktreePath!, ".env"), "utf8")).toBe("SECRET=local-only\n");
  });

  it("are removed only when nothing in them is uncommitted, and reused as they are for a follow-up", async () => {
    const repo = makeGitRepo({ "a.txt": "a\n" });
    const spec = { repoPath: repo, baseBranch: "main", dataDir: harness.dataDir, runId: "0badc0de-0000-4000-8000-000000000000", taskKey: "T9", dependencyBranches: [], envFiles: [] };
    const first = await prepareWorktree(spec);
    expect(first).toMatchObject({ branch: "foreman/0badc0de/T9", reused: false });
    writeFileSync(path.join(first.path, "a.txt"), "changed\n");
    expect(await removeWorktree(repo, first.path)).toMatchObject({ removed: false, reason: expect.stringContaining("a.txt") });
    expect(await prepareWorktree(spec)).toMatchObject({ path: first.path, reused: true, startSha: null });

    const commit = await commitChanges(first.path, "keep it");
    expect(commit).toMatchObject({ files: 1, insertions: 1, deletions: 1 });
    expect(await commitChanges(first.path, "nothing")).toBeNull();
    expect(await removeWorktree(repo, first.path)).toEqual({ removed: true, reason: null });
    expect(existsSync(first.path)).toBe(false);
    expect(gitOut(repo, "show", "foreman/0badc0de/T9:a.txt")).toBe("changed");

    // Made again from its branch; and again after someone deleted the directory by hand (still registered in git).
    const again = await prepareWorktree(spec);
    expect(again).toMatchObject({ reused: false, branch: "foreman/0badc0de/T9" });
    expect(readFileSync(path.join(again.path, "a.txt"), "utf8")).toBe("changed\n");
    rmSync(again.path, { recursive: true, force: true });
    expect(await prepareWorktree(spec)).toMatchObject({ reused: false, path: first.path });
  });

  it("get a commit prepared off the branch, landed only where it was made, once however often it is landed", async () => {
    const repo = makeGitRepo({ "a.txt": "a\n" });
    const spec = { repoPath: repo, baseBranch: "main", dataDir: harness.dataDir, runId: "0badc0de-0000-4000-8000-000000000001", taskKey: "T8", dependencyBranches: [], envFiles: [] };
    const worktree = await prepareWorktree(spec);
    const base = gitOut(worktree.path, "rev-parse", "HEAD");
    writeFileSync(path.join(worktree.path, "a.txt"), "first\n");
    const prepared = (await prepareCommit(worktree.path, "first change"))!;
    expect(prepared).toMatchObject({ parent: base, files: 1, insertions: 1, deletions: 1 });
    // Prepared is not landed: the branch has not moved yet.
    expect(gitOut(worktree.path, "rev-parse", "HEAD")).toBe(base);
    await landCommit(worktree.path, prepared);
    await landCommit(worktree.path, prepared);
    expect(gitOut(worktree.path, "rev-parse", "HEAD")).toBe(prepared.sha);
    expect(gitOut(worktree.path, "log", "--format=%an %s", "-1")).toBe("Foreman first change");
    expect(gitOut(worktree.path, "rev-list", "--count", `${base}..HEAD`)).toBe("1");

    // A commit prepared on a HEAD that moved since is refused, and the branch keeps what moved it.
    writeFileSync(path.join(worktree.path, "a.txt"), "second\n");
    const stale = (await prepareCommit(worktree.path, "second change"))!;
    writeFileSync(path.join(worktree.path, "b.txt"), "b\n");
    const moved = (await commitChanges(worktree.path, "someone else's"))!;
    await expect(landCommit(worktree.path, stale)).rejects.toThrow(/the branch moved/);
    expect(gitOut(worktree.path, "rev-parse", "HEAD")).toBe(moved.sha);
  });

  it("are made concurrently on one repository without git racing itself", async () => {
    const repo = makeGitRepo({ "a.txt": "a\n" });
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        prepareWorktree({ repoPath: repo, baseBranch: "main", dataDir: harness.dataDir, runId: "5eedc0de-0000-4000-8000-000000000000", taskKey: `T${index + 1}`, dependencyBranches: [], envFiles: [] }),
      ),
    );
    expect(new Set(made.map((worktree) => worktree.path)).size).toBe(6);
    expect(gitOut(repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(7);
  });
});

describe("verification commands", () => {
  it("are killed with everything they started when they pass their timeout", async () => {
    const dir = makeGitRepo();
    const result = await runCommand({ command: "sleep 301 & echo started; sleep 302", cwd: dir, env: { PATH: process.env.PATH! }, timeoutMs: 700, confinement: { prefix: [] } });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(result.outputTail).toContain("started");
    expect(result.outputTail).toContain("[foreman] killed after 1 s (timeout)");
    const sleepers = execFileSync("sh", ["-c", "pgrep -f 'sleep 30[12]' || true"], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
    expect(stillRunning(sleepers)).toEqual([]);
  });

  it("run inside Foreman's containment: the worktree is writable, the rest of the machine (and .git) is not", async () => {
    const dir = makeGitRepo();
    // Outside the worktree; /tmp included, since the sandbox's /tmp is its own.
    const outside = path.join(os.homedir(), `.foreman-sandbox-probe-${process.pid}`);
    const outsideTmp = path.join(os.tmpdir(), `foreman-sandbox-probe-${process.pid}`);
    execFileSync("git", ["-C", dir, "worktree", "add", "-q", "-b", "probe", path.join(dir, "..", `${path.basename(dir)}-wt`)]);
    const worktree = path.join(dir, "..", `${path.basename(dir)}-wt`);
    try {
      const confinement = commandConfinement(harness.runtime, { cwd: worktree, worktree, repoPath: dir }, { network: false });
      const result = await runCommand({
        command: `echo inside > inside.txt && cat inside.txt; echo outside > ${outside}; echo tmp > ${outsideTmp}; touch ${dir}/.git/foreman-probe; rm -f .git; ls ${dir}/README.md; exit 3`,
        cwd: worktree,
        env: commandEnv(confinement),
        timeoutMs: 20_000,
        confinement,
      });
      expect(result.exitCode).toBe(3);
      expect(readFileSync(path.join(worktree, "inside.txt"), "utf8")).toBe("inside\n");
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(path.join(dir, ".git", "foreman-probe"))).toBe(false);
      expect(existsSync(path.join(worktree, ".git"))).toBe(true);
      // /tmp inside is private: the write succeeded there and left nothing here.
      expect(existsSync(outsideTmp)).toBe(false);
      // The checkout's files are not shown, only its git metadata.
      expect(result.outputTail).toMatch(/README\.md'?: No such file or directory/);
    } finally {
      rmSync(outside, { force: true });
      rmSync(outsideTmp, { force: true });
    }
  });
});
