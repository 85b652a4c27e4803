import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tasks, type VerificationCommandResult, verifications } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { filesOutsideScope } from "../../lib/tasks/scope";
import { ATTEMPT_MARKER, commandEnv } from "../codex/child-env";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { commandConfinement } from "../contain/places";
import { changedFiles } from "../git/commit-changes";
import { headSha } from "../git/git";
import { runCommand } from "./run-command";

export type VerificationOutcome = {
  verificationId: string;
  /** Every command ran and exited 0 (vacuously true when there were none). */
  passed: boolean;
  results: VerificationCommandResult[];
  changedFiles: string[];
  outOfScope: string[];
  summary: string;
};

export type VerifyInput = {
  target: AttemptTarget;
  worktree: string;
  /** Where the task's own changes start (base plus merged dependencies). */
  startSha: string;
  scope: readonly string[];
  taskCommands: readonly string[];
  repositoryCommand: string | null;
  /** Paths that are not the agent's work (env files, setup leftovers). */
  keepOut: readonly string[];
  /** The repository checkout the worktree belongs to. */
  repoPath: string;
};

/**
 * Foreman's own verification, never the agent's word (DESIGN.md §4.6): changed
 * files recomputed from git and checked against the declared scope, then the
 * task's commands and the repository's verifyCommand run in the worktree
 * (inside Foreman's containment layer, without network: the code under test
 * was written by the agent) with a timeout. Results are stored in `verifications`.
 */
export async function verifyTask(db: Db, runtime: AgentRuntime, input: VerifyInput): Promise<VerificationOutcome> {
  const { target } = input;
  const [row] = await db
    .insert(verifications)
    .values({ runId: target.runId, taskId: target.taskId, attemptId: target.attemptId, attemptNumber: target.attemptNumber, status: "running" })
    .returning({ id: verifications.id });
  const verificationId = row!.id;

  const changed = await changedFiles(input.worktree, input.startSha, input.keepOut);
  const outOfScope = filesOutsideScope(changed, input.scope);
  const commands = [
    ...input.taskCommands.filter((command) => command.trim()).map((command) => ({ command, source: "task" as const })),
    ...(input.repositoryCommand?.trim() ? [{ command: input.repositoryCommand, source: "repository" as const }] : []),
  ];
  const results: VerificationCommandResult[] = [];
  // The code under test was written by the agent: contained, no network.
  const confinement = commandConfinement(runtime, { cwd: input.worktree, worktree: input.worktree, repoPath: input.repoPath }, { network: false });
  for (const { command, source } of commands) {
    const result = await runCommand({
      command,
      cwd: input.worktree,
      // Marked like the agent's processes, so a crash mid-verification leaves nothing unfound.
      env: { ...commandEnv(confinement), [ATTEMPT_MARKER]: target.attemptId },
      timeoutMs: runtime.commandTimeoutMs,
      confinement,
    });
    results.push({ command, source, ...result });
  }
  const failed = results.filter((result) => result.exitCode !== 0);
  const passed = failed.length === 0;
  const summary =
    commands.length === 0
      ? "no verification commands to run"
      : passed
        ? `${results.length} command(s) passed`
        : `${failed.length} of ${results.length} command(s) failed: ${failed.map((result) => `${result.command} (${result.timedOut ? "timed out" : `exit ${result.exitCode}`})`).join(", ")}`;
  const sha = await headSha(input.worktree);

  await db.transaction(async (tx) => {
    await tx
      .update(verifications)
      .set({
        status: passed ? "passed" : "failed",
        changedFiles: changed,
        outOfScope,
        commands: results,
        headSha: sha,
        summary: outOfScope.length > 0 ? `${summary}; changed outside its scope: ${outOfScope.join(", ")}` : summary,
        finishedAt: new Date(),
      })
      .where(eq(verifications.id, verificationId));
    await tx
      .update(tasks)
      .set({ changedFiles: changed })
      .where(and(eq(tasks.id, target.taskId), eq(tasks.currentAttempt, target.attemptNumber)));
    if (outOfScope.length > 0) {
      await appendEvent(tx, {
        runId: target.runId,
        taskId: target.taskId,
        payload: { type: "task.out_of_scope", files: outOfScope.slice(0, 200).map(cap), scope: input.scope.slice(0, 200).map(cap) },
      });
    }
    await appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: {
        type: "task.verification_finished",
        attempt: target.attemptNumber,
        verificationId,
        passed,
        summary: summary.slice(0, 4000),
        commands: results.slice(0, 50).map((result) => ({
          command: result.command.slice(0, 2000),
          source: result.source,
          exitCode: result.exitCode,
          timedOut: result.timedOut,
        })),
      },
    });
  });
  return { verificationId, passed, results, changedFiles: changed, outOfScope, summary };
}

const cap = (value: string) => value.slice(0, 1000);
