import { and, count, eq, gte, sql } from "drizzle-orm";
import { isConnectionLoss } from "../../db/client";
import { modelProblem } from "../codex/model-ready";
import { enqueue } from "../../lib/jobs/enqueue";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import type { QueuePayload } from "../../lib/jobs/queues";
import { attempts, runEvents, runs, tasks } from "../../db/schema";
import { transitionAttempt } from "../../lib/attempts/transition-attempt";
import { appendEvent } from "../../lib/events/append-event";
import type { TurnPurpose } from "../../lib/events/types";
import { workerReportJsonSchema } from "../../lib/reports/worker-report";
import { head } from "../../lib/shared/cap";
import { effortCapReason, type EffortSpent } from "../../lib/tasks/effort-cap";
import { withDefaults } from "../../lib/runs/settings";
import type { TaskStatus } from "../../lib/tasks/status";
import { transitionTask } from "../../lib/tasks/transition-task";
import type { AttemptTarget } from "../codex/record-agent-events";
import type { AgentRuntime } from "../codex/runtime";
import { runTurn } from "../codex/run-turn";
import { GitError } from "../git/git";
import { WorktreeError } from "../git/prepare-worktree";
import { verifyTask } from "../verify/verify-task";
import { type Claim, claimAttempt } from "./claim-attempt";
import { commitTurn } from "./commit-turn";
import { blockedByVerification, weakenedReason } from "./decide-outcome";
import { recordClaims } from "./record-claims";
import { reviewByManager } from "./review-by-manager";
import { handOff } from "./hand-off";
import { mergeBaseForFollowUp } from "./merge-base-follow-up";
import type { FollowUp } from "../../lib/tasks/start-follow-up";
import { finishAttempt, moveTask } from "./finish-attempt";
import { AttemptLost } from "../../lib/attempts/fence-attempt";
import { handBack } from "./hand-back";
import { prepareTaskWorktree } from "./prepare-task-worktree";
import { storeHandoffDiff } from "./store-handoff-diff";
import { storeWorkerReport } from "./store-report";
import { followUpPrompt, reportRetryPrompt, resumePrompt, threadLostPrompt, workPrompt } from "../../lib/prompts/worker";

export type WorkContext = { db: Db; runtime: AgentRuntime; runnerId: string; boss?: PgBoss };

export type AttemptOutcome =
  | { status: "skipped"; reason: string }
  | { status: "interrupted"; reason: string }
  | { status: TaskStatus; reason: string };

/**
 * Works one attempt of a task, the way DESIGN.md §4 steps 5–7 describe it:
 * worktree, turns on one Codex thread, a commit by Foreman after every turn,
 * the WorkerReport (asked for once more when invalid), then Foreman's own
 * verification: `running → verifying → done | needs_review | blocked`, with
 * follow-up turns on the same thread while verification fails (capped).
 */
export async function runTaskAttempt(ctx: WorkContext, payload: QueuePayload<"task.run">, job: { redelivered: boolean } = { redelivered: false }): Promise<AttemptOutcome> {
  const claimed = await claimAttempt(ctx.db, {
    redelivered: job.redelivered,
    taskId: payload.taskId,
    attempt: payload.attempt,
    resume: payload.resume ?? false,
    replaces: payload.replaces ?? null,
    runnerId: ctx.runnerId,
  });
  if (!claimed.claimed) return { status: "skipped", reason: claimed.reason };
  const { claim } = claimed;
  const target: AttemptTarget = { runId: claim.task.runId, taskId: claim.task.id, attemptId: claim.attempt.id, attemptNumber: claim.attempt.number, runnerId: ctx.runnerId };
  // The runner's own check finds any attempt it holds that is not in this set (see check-own-attempts.ts).
  ctx.runtime.working.add(target.attemptId);
  try {
    return await work(ctx, claim, target, payload.followUp ?? null);
  } catch (error) {
    // Another runner holds the attempt now: this one writes nothing more for it.
    if (error instanceof AttemptLost) return { status: "interrupted", reason: error.message };
    // The database went away for longer than the writes wait: Foreman's fault, not the task's. The attempt goes
    // back to the runners (now, or by the own-attempt check once the database is back) instead of blocking.
    if (isConnectionLoss(error) && ctx.boss) {
      const reason = `Foreman lost its database while working attempt ${target.attemptNumber}; the attempt was handed back and continues on its thread.`;
      await handBack(ctx.db, ctx.boss, target, reason).catch(() => {});
      return { status: "interrupted", reason };
    }
    const reason =
      error instanceof WorktreeError
        ? error.message
        : `Foreman could not work the task: ${error instanceof GitError || error instanceof Error ? error.message : String(error)}`;
    await finishAttempt(ctx.db, target, { attempt: "failed", task: "blocked", reason }).catch((failure: unknown) => {
      if (!(failure instanceof AttemptLost)) throw failure;
    });
    return { status: "blocked", reason };
  } finally {
    ctx.runtime.working.delete(target.attemptId);
  }
}

async function work(ctx: WorkContext, claim: Claim, target: AttemptTarget, followUp: FollowUp | null): Promise<AttemptOutcome> {
  const { db, runtime } = ctx;
  const { task, run, repository } = claim;
  const noModel = await modelProblem(runtime);
  if (noModel) {
    const reason = `${noModel} Then retry the task.`;
    await finishAttempt(db, target, { attempt: "failed", task: "blocked", reason });
    return { status: "blocked", reason };
  }
  let worktree = await prepareTaskWorktree(db, runtime, target, { task, repository });
  if (followUp?.mergeBase && claim.mode === "new") worktree = await mergeBaseForFollowUp(ctx, claim, target, worktree, followUp.mergeBase);
  if (claim.mode === "new") {
    await db.transaction((tx) => transitionAttempt(tx, target.attemptId, "running", { reason: `Working in ${worktree.path}.` }));
  }
  const settings = run.settings;
  const model = settings.model ?? runtime.model;
  // A resumed attempt, or one replacing a stalled attempt, continues the same thread.
  let threadId = claim.attempt.threadId;
  // A follow-up's first turn carries its own prompt; a resumed follow-up (after a pause) just continues.
  const fresh = claim.mode === "new" && followUp !== null;
  let prompt = fresh
    ? followUp.prompt
    : threadId !== null
      ? resumePrompt(claim.resumeReason ?? "interrupted")
      : workPrompt(task, { branch: worktree.branch, repositoryCommand: repository.verifyCommand });
  let purpose: TurnPurpose = fresh ? followUp.purpose : threadId !== null ? "resume" : "work";
  let turn = (await turnsSoFar(db, target)) + 1;
  let reportRetried = false;
  let threadLost = false;
  let followUps = task.followUps;

  for (;;) {
    // Race: a pause or cancel that committed while no turn was running (setup, verification) interrupted nothing.
    const held = await heldByHuman(db, target.runId);
    if (held) {
      const reason = held === "paused" ? "Paused before the next turn; resuming continues the attempt." : "Cancelled before the next turn.";
      await finishAttempt(db, target, { attempt: "interrupted", task: null, reason });
      return { status: "interrupted", reason };
    }
    const capped = effortCapReason(await effortSpent(db, target.taskId), withDefaults(settings));
    if (capped) {
      await finishAttempt(db, target, { attempt: "completed", task: "blocked", reason: capped });
      return { status: "blocked", reason: capped };
    }
    const result = await runTurn({
      db,
      runtime,
      target,
      threadId,
      worktree: worktree.path,
      repoPath: worktree.repoPath,
      model,
      sandboxMode: settings.sandboxMode,
      prompt,
      outputSchema: workerReportJsonSchema,
      purpose,
      turn,
    });
    threadId = result.threadId ?? threadId;
    // Whatever the turn's outcome, the agent's changes are kept on the branch (by the attempt's holder only).
    if (result.outcome !== "lost") await commitTurn(db, target, worktree, { title: `${task.key}: ${task.title}`, turn, purpose, outcome: result.outcome });

    if (result.outcome === "lost") return { status: "interrupted", reason: result.message };
    if (result.outcome === "interrupted" && result.reason === "runner_stopping" && ctx.boss) {
      // The runner is stopping (a deploy, a restart): the work goes back to the runners, never to a human.
      await handBack(db, ctx.boss, target, result.message);
      return { status: "interrupted", reason: result.message };
    }
    if (result.outcome === "interrupted") {
      // Paused or cancelled turns wait for a human; any other interruption blocks the card with its reason.
      const waits = result.reason === "paused" || result.reason === "cancelled" || result.reason === "stalled";
      await finishAttempt(db, target, { attempt: "interrupted", task: waits ? null : "blocked", reason: result.message });
      return { status: "interrupted", reason: result.message };
    }
    if (result.outcome === "failed" && threadId !== null && !threadLost && /no rollout found/i.test(result.message)) {
      // The thread did not survive its runner (killed before codex wrote it out, on a host that is gone): start afresh from the record.
      threadLost = true;
      threadId = null;
      prompt = threadLostPrompt(workPrompt(task, { branch: worktree.branch, repositoryCommand: repository.verifyCommand }), claim.resumeReason ?? "its runner stopped");
      purpose = "resume";
      turn++;
      continue;
    }
    if (result.outcome === "failed") {
      const reason = `The Codex turn failed: ${result.message}`;
      await finishAttempt(db, target, { attempt: "failed", task: "blocked", reason });
      return { status: "blocked", reason };
    }

    const stored = await storeWorkerReport(db, target, result.finalMessage);
    if (!stored.ok) {
      if (!reportRetried) {
        reportRetried = true;
        prompt = reportRetryPrompt(stored.error);
        purpose = "report_retry";
        turn++;
        continue;
      }
      const reason = `The worker did not return a valid WorkerReport, even when asked again: ${stored.error} The raw answers are kept with the task's reports.`;
      await finishAttempt(db, target, { attempt: "failed", task: "blocked", reason });
      return { status: "blocked", reason };
    }
    reportRetried = false;
    const report = stored.report;
    if (report.status === "blocked") {
      const issues = report.openIssues.length ? ` Open issues: ${report.openIssues.join("; ")}` : "";
      const reason = `The worker reported it is blocked: ${report.summary}${issues}`;
      await finishAttempt(db, target, { attempt: "completed", task: "blocked", reason });
      // A worker's `blocked` is judged at once, not at the next scheduled heartbeat.
      if (ctx.boss) await enqueue(ctx.boss, "run.heartbeat", { runId: target.runId, trigger: "worker_blocked" });
      return { status: "blocked", reason };
    }

    await moveTask(db, target, "verifying", `The worker reported ${report.status}; Foreman verifies.`);
    const verification = await verifyTask(db, runtime, {
      target,
      worktree: worktree.path,
      startSha: worktree.startSha,
      scope: task.scope,
      taskCommands: task.verification.commands,
      repositoryCommand: repository.verifyCommand,
      keepOut: worktree.keepOut,
      repoPath: worktree.repoPath,
      checks: { testPatterns: repository.testPatterns, listed: repository.checkFiles },
    });
    await storeHandoffDiff(db, target, worktree);
    const disputes = await recordClaims(db, target, report, verification);

    // Weakened checks are named, never verified: a human decides, whatever the scope or the kind.
    if (verification.weakening.length > 0) {
      const reason = weakenedReason(verification);
      await finishAttempt(db, target, { attempt: "completed", task: "needs_review", reason });
      return { status: "needs_review", reason };
    }
    if (verification.passed) {
      const review = task.kind === "docs" || task.kind === "research" ? await reviewByManager(ctx, claim, target, worktree, report) : null;
      return handOff(ctx, claim, target, worktree, { report, verification, followUp, managerReview: review, disputes });
    }

    const failures = [
      ...verification.results.filter((result) => result.exitCode !== 0),
      ...(verification.startChecks ?? [])
        .filter((result) => result.exitCode !== 0)
        .map((result) => ({ ...result, command: `${result.command} (with the checks as they were at the task's start)` })),
    ];
    if (followUps < settings.followUpCap) {
      followUps++;
      const why = `Foreman's verification failed: ${verification.summary}`;
      await db.transaction(async (tx) => {
        await tx
          .update(tasks)
          .set({ followUps })
          .where(and(eq(tasks.id, target.taskId), eq(tasks.currentAttempt, target.attemptNumber)));
        await appendEvent(tx, {
          runId: target.runId,
          taskId: target.taskId,
          payload: { type: "task.follow_up", attempt: target.attemptNumber, number: followUps, cap: settings.followUpCap, reason: head(why, 4000) },
        });
        await transitionTask(tx, target.taskId, "running", { attempt: target.attemptNumber, reason: `Follow-up ${followUps} of ${settings.followUpCap}: ${head(why, 2000)}` });
      });
      prompt = followUpPrompt({ failures, outOfScope: verification.outOfScope, number: followUps, cap: settings.followUpCap });
      purpose = "follow_up";
      turn++;
      continue;
    }
    const reason = blockedByVerification(verification, settings.followUpCap);
    await finishAttempt(db, target, { attempt: "completed", task: "blocked", reason });
    return { status: "blocked", reason };
  }
}

/** "paused" or "cancelled" when a human stopped the run: no new turn may start. */
async function heldByHuman(db: Db, runId: string): Promise<"paused" | "cancelled" | null> {
  const [row] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  return row?.status === "paused" || row?.status === "cancelled" ? row.status : null;
}

/** Tokens and turns the task has spent since its budget began (its first attempt, or a human's last retry). */
async function effortSpent(db: Db, taskId: string): Promise<EffortSpent> {
  const [task] = await db.select({ from: tasks.budgetFromAttempt }).from(tasks).where(eq(tasks.id, taskId));
  const from = task?.from ?? 1;
  const [tokens] = await db
    .select({ n: sql<number>`coalesce(sum(${attempts.tokensInput} + ${attempts.tokensOutput}), 0)::bigint` })
    .from(attempts)
    .where(and(eq(attempts.taskId, taskId), gte(attempts.number, from)));
  const [turns] = await db
    .select({ n: count() })
    .from(runEvents)
    .where(and(eq(runEvents.taskId, taskId), eq(runEvents.type, "agent.turn_started"), sql`(${runEvents.payload}->>'attempt')::int >= ${from}`));
  return { tokens: Number(tokens?.n ?? 0), turns: turns?.n ?? 0 };
}

async function turnsSoFar(db: Db, target: AttemptTarget): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(runEvents)
    .where(and(eq(runEvents.taskId, target.taskId), eq(runEvents.type, "agent.turn_started"), sql`(${runEvents.payload}->>'attempt')::int = ${target.attemptNumber}`));
  return row?.n ?? 0;
}
