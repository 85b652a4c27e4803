import path from "node:path";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, repositories, runEvents, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { ATTEMPT_MARKER, commandEnv } from "../codex/child-env";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { normalizePaths, untrackedEntries } from "../git/commit-changes";
import { git } from "../git/git";
import { branchName, prepareWorktree, TamperedWorktree, WorktreeError } from "../git/prepare-worktree";
import { commandConfinement } from "../codex/places";
import { PlantedLink } from "../contain/safe-paths";
import { escapeEvents, privatePlaces } from "../contain/detect-escape";
import { runCommand } from "../verify/run-command";
import { ensureCheckout } from "../git/ensure-checkout";
import { readEventPayload } from "../../lib/events/read-event";

export type TaskWorktree = {
  path: string;
  branch: string;
  startSha: string;
  repoPath: string;
  /** Paths that are not the agent's work: copied env files and what the setup script left untracked. */
  keepOut: string[];
};

/**
 * The task's worktree, ready for a turn: the checkout (cloned when the
 * repository is a URL), the worktree with finished dependencies merged, env
 * files, and the setup script on a fresh worktree (its log kept in the data
 * directory, its tail in an event). Throws WorktreeError with a readable reason.
 */
export async function prepareTaskWorktree(
  db: Db,
  runtime: AgentRuntime,
  target: AttemptTarget,
  input: { task: typeof tasks.$inferSelect; repository: typeof repositories.$inferSelect },
): Promise<TaskWorktree> {
  const { task, repository } = input;
  const repoPath = await ensureCheckout(runtime, repository);
  const dependencies = task.dependsOn.length
    ? await db
        .select({ key: tasks.key, branch: tasks.branch })
        .from(tasks)
        .where(and(eq(tasks.runId, task.runId), inArray(tasks.key, task.dependsOn), eq(tasks.status, "done")))
    : [];
  const worktree = await refusingEscapes(db, target, () => prepareWorktree({
    repoPath,
    baseBranch: repository.baseBranch,
    dataDir: runtime.dataDir,
    runId: task.runId,
    taskKey: task.key,
    dependencyBranches: dependencies.map((dependency) => dependency.branch ?? branchName(task.runId, dependency.key)),
    envFiles: repository.envFiles,
  }));
  const startSha = worktree.startSha ?? (await recordedStartSha(db, task.id)) ?? (await mergeBase(worktree.path, repository.baseBranch));
  await db.transaction(async (tx) => {
    await tx.update(attempts).set({ worktreePath: worktree.path, branch: worktree.branch }).where(eq(attempts.id, target.attemptId));
    await tx
      .update(tasks)
      .set({ branch: worktree.branch })
      .where(and(eq(tasks.id, task.id), eq(tasks.currentAttempt, target.attemptNumber)));
    await appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: {
        type: "task.worktree_ready",
        branch: worktree.branch,
        baseBranch: repository.baseBranch,
        startSha,
        merged: worktree.merged,
        reused: worktree.reused,
      },
    });
  });
  let artifacts = worktree.reused ? await recordedArtifacts(db, task.id) : [];
  if (!worktree.reused && repository.setupScript?.trim()) {
    const logFile = path.join(runtime.dataDir, "logs", task.runId.slice(0, 8), task.key.replace(/[^A-Za-z0-9._-]/g, "-"), "setup.log");
    // The worktree may hold agent output already (merged dependencies, an accepted base): contained like any agent code.
    const confinement = commandConfinement(runtime, { cwd: worktree.path, worktree: worktree.path, repoPath }, { network: repository.setupNetwork });
    const result = await runCommand({
      command: repository.setupScript,
      cwd: worktree.path,
      env: { ...commandEnv(confinement), [ATTEMPT_MARKER]: target.attemptId },
      timeoutMs: runtime.commandTimeoutMs,
      logFile,
      confinement,
    });
    const envFiles = new Set(normalizePaths(repository.envFiles));
    artifacts = (await untrackedEntries(worktree.path)).filter((entry) => !envFiles.has(normalizePaths([entry])[0] ?? "")).slice(0, 200);
    await db.transaction(async (tx) => {
      await appendEvent(tx, {
        runId: target.runId,
        taskId: target.taskId,
        payload: { type: "task.setup_finished", ...result, artifacts: artifacts.map((entry) => entry.slice(0, 1000)) },
      });
      // The script may hold a worker's lines (a merged dependency): what it tried beyond the sandbox shows on the task.
      const escapes = escapeEvents(target.attemptNumber, repository.setupScript ?? "", result.outputTail, { worktree: worktree.path, private: privatePlaces(runtime.dataDir) });
      for (const payload of escapes) await appendEvent(tx, { runId: target.runId, taskId: target.taskId, payload });
    });
    if (result.exitCode !== 0) {
      throw new WorktreeError(
        `The setup script ${result.timedOut ? "timed out" : `failed (exit ${result.exitCode})`}; its log is ${logFile}. Last output:\n${result.outputTail.slice(-1500)}`,
      );
    }
  }
  return { path: worktree.path, branch: worktree.branch, startSha, repoPath, keepOut: [...repository.envFiles, ...artifacts] };
}

/**
 * Runs the runner's own work on a worktree; a link or `.git` a worker planted
 * is refused, recorded on the task as what the worker tried, and ends the
 * attempt with a readable reason.
 */
export async function refusingEscapes<T>(db: Db, target: AttemptTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof PlantedLink) && !(error instanceof TamperedWorktree)) throw error;
    const planted = error instanceof PlantedLink;
    await db.transaction((tx) =>
      appendEvent(tx, {
        runId: target.runId,
        taskId: target.taskId,
        payload: {
          type: "task.escape_refused",
          attempt: target.attemptNumber,
          action: planted ? "symlink" : "git",
          target: (planted ? error.link : ".git").slice(0, 1000),
          detail: error.message.slice(0, 2000),
        },
      }),
    );
    throw new WorktreeError(`Foreman refused to continue in this worktree: ${error.message} Inspect the branch before retrying.`);
  }
}

/** What the setup script left untracked when the worktree was made. */
export async function recordedArtifacts(db: Db, taskId: string): Promise<string[]> {
  const rows = await db
    .select({ type: runEvents.type, payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.taskId, taskId), eq(runEvents.type, "task.setup_finished")))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return readEventPayload(rows[0], "task.setup_finished")?.artifacts ?? [];
}

/** The start of the task's own work, as recorded when its worktree was first made. */
async function recordedStartSha(db: Db, taskId: string): Promise<string | null> {
  const rows = await db
    .select({ type: runEvents.type, payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.taskId, taskId), eq(runEvents.type, "task.worktree_ready")))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return readEventPayload(rows[0], "task.worktree_ready")?.startSha || null;
}

async function mergeBase(worktree: string, baseBranch: string): Promise<string> {
  return (await git(worktree, ["merge-base", baseBranch, "HEAD"])).stdout.trim();
}
