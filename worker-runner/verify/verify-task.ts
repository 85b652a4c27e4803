import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tasks, type VerificationCommandResult, verifications } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { transitionVerification } from "../../lib/verifications/transition-verification";
import { filesOutsideScope } from "../../lib/tasks/scope";
import { ATTEMPT_MARKER, commandEnv } from "../codex/child-env";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { commandConfinement } from "../codex/places";
import { escapeEvents, privatePlaces } from "../contain/detect-escape";
import { parseUnifiedDiff } from "../../lib/diffs/parse-unified-diff";
import { detectScriptEdits, detectWeakening, describeFindings, type WeakeningFinding } from "../../lib/verifications/detect-weakening";
import { changedFiles } from "../git/commit-changes";
import { git, headSha } from "../git/git";
import { runCommand } from "./run-command";
import { inStartVersion, listStartChecks, showAt, type StartChecks } from "./start-checks";

export type VerificationOutcome = {
  verificationId: string;
  /** Every command ran and exited 0 (vacuously true when there were none). */
  passed: boolean;
  results: VerificationCommandResult[];
  changedFiles: string[];
  outOfScope: string[];
  summary: string;
  /** The checks that existed at the task's start. */
  checkFiles: string[];
  /** The commands again with those checks in their start version; null when the worker changed none. */
  startChecks: VerificationCommandResult[] | null;
  /** Checks the worker deleted, skipped, emptied or loosened. */
  weakening: WeakeningFinding[];
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
  /** The checkout the worktree belongs to (for the start-version copy). */
  repoPath: string;
  /** The repository's test patterns (null: defaults) and the files its owner lists as checks. */
  checks: { testPatterns: readonly string[] | null; listed: readonly string[] };
};

/**
 * Foreman's own verification, never the agent's word (DESIGN.md §4.6): changed
 * files recomputed from git and checked against the declared scope, then the
 * task's commands and the repository's verifyCommand run in the worktree
 * (inside Foreman's containment layer, without network: the code under test
 * was written by the agent) with a timeout. Checks are not the worker's to
 * change: the checks that existed at the task's start run again in their start
 * version against the worker's code (when the worker touched any), and the
 * diff is searched for weakened checks. Results are stored in `verifications`.
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
  for (const { command, source } of commands) results.push({ command, source, ...(await runCheck(runtime, target, input, input.worktree, command)) });

  const start = await listStartChecks(input.worktree, input.startSha, {
    commands: commands.map((entry) => entry.command),
    testPatterns: input.checks.testPatterns,
    listed: input.checks.listed,
  });
  const weakening = await findWeakening(input.worktree, input.startSha, start);
  const touched = new Set(changed);
  const checksTouched = start.checks.some((check) => touched.has(check.path)) || (start.scripts.length > 0 && touched.has("package.json"));
  // The branch's own pass is the start-version pass when the worker changed no check.
  let startChecks: VerificationCommandResult[] | null = null;
  if (checksTouched && commands.length > 0) {
    startChecks = await inStartVersion({ repoPath: input.repoPath, worktree: input.worktree, startSha: input.startSha, start, keepOut: input.keepOut }, async (dir) => {
      const rerun: VerificationCommandResult[] = [];
      for (const { command, source } of commands) rerun.push({ command, source, ...(await runCheck(runtime, target, input, dir, command)) });
      return rerun;
    });
  }

  const failed = results.filter((result) => result.exitCode !== 0);
  const startFailed = (startChecks ?? []).filter((result) => result.exitCode !== 0);
  const passed = failed.length === 0 && startFailed.length === 0;
  const describe = (list: VerificationCommandResult[]) => list.map((result) => `${result.command} (${result.timedOut ? "timed out" : `exit ${result.exitCode}`})`).join(", ");
  let summary =
    commands.length === 0
      ? "no verification commands to run"
      : failed.length === 0
        ? `${results.length} command(s) passed`
        : `${failed.length} of ${results.length} command(s) failed: ${describe(failed)}`;
  if (startChecks) {
    summary += startFailed.length
      ? `; with the checks as they were at the task's start, ${startFailed.length} of ${startChecks.length} failed: ${describe(startFailed)}`
      : `; the checks as they were at the task's start pass too`;
  }
  if (weakening.length) summary += `; weakened checks: ${describeFindings(weakening, 5).join("; ")}`;
  const sha = await headSha(input.worktree);

  await db.transaction(async (tx) => {
    await transitionVerification(tx, verificationId, passed ? "passed" : "failed", {
      reason: outOfScope.length > 0 ? `${summary}; changed outside its scope: ${outOfScope.join(", ")}` : summary,
      changedFiles: changed,
      outOfScope,
      commands: results,
      headSha: sha,
      checkFiles: start.checks.map((check) => check.path),
      startChecks,
      weakening,
    });
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
    if (weakening.length > 0) {
      await appendEvent(tx, {
        runId: target.runId,
        taskId: target.taskId,
        payload: {
          type: "task.checks_weakened",
          attempt: target.attemptNumber,
          verificationId,
          findings: weakening.slice(0, 100).map((finding) => ({ ...finding, file: cap(finding.file), text: cap(finding.text) })),
        },
      });
    }
    // Verification runs the worker's code: what it tried beyond the sandbox shows on the task.
    const context = { worktree: input.worktree, private: privatePlaces(runtime.dataDir) };
    for (const result of [...results, ...(startChecks ?? [])]) {
      for (const payload of escapeEvents(target.attemptNumber, result.command, result.outputTail, context)) {
        await appendEvent(tx, { runId: target.runId, taskId: target.taskId, payload });
      }
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
        startChecksPassed: startChecks ? startFailed.length === 0 : null,
      },
    });
  });
  return { verificationId, passed, results, changedFiles: changed, outOfScope, summary, checkFiles: start.checks.map((check) => check.path), startChecks, weakening };
}

/**
 * One verification command, run the way every verification command runs: in
 * its own process group, inside Codex's workspace-write sandbox (the code under
 * test was written by the agent), marked like the agent's processes so a crash
 * mid-verification leaves nothing unfound.
 */
function runCheck(runtime: AgentRuntime, target: AttemptTarget, input: VerifyInput, cwd: string, command: string) {
  // The code under test was written by the agent: contained, no network. The start-version copy
  // links setup leftovers (node_modules) from the worker's worktree, which it then sees read-only.
  const confinement = commandConfinement(runtime, { cwd, worktree: cwd, repoPath: input.repoPath }, { network: false, readOnly: cwd === input.worktree ? [] : [input.worktree] });
  return runCommand({
    command,
    cwd,
    env: { ...commandEnv(confinement), [ATTEMPT_MARKER]: target.attemptId },
    timeoutMs: runtime.commandTimeoutMs,
    confinement,
  });
}

/** Weakened checks between the start and the worker's last commit (Foreman commits every turn before verifying). */
async function findWeakening(worktree: string, startSha: string, start: StartChecks): Promise<WeakeningFinding[]> {
  if (start.checks.length === 0 && start.scripts.length === 0) return [];
  // Renames need both sides in the diff: -M over the whole tree; only check files count.
  const diff = start.checks.length ? (await git(worktree, ["diff", "--no-color", "--no-ext-diff", "-M", startSha, "HEAD"], { maxBuffer: 256 * 1024 * 1024 })).stdout : "";
  const findings = diff ? detectWeakening(parseUnifiedDiff(diff), start.checks) : [];
  const scripts = start.scripts.length ? detectScriptEdits(start.packageJson, await showAt(worktree, "HEAD", "package.json"), start.scripts) : [];
  return [...findings, ...scripts];
}

const cap = (value: string) => value.slice(0, 1000);
