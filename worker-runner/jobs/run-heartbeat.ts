import { inArray, sql } from "drizzle-orm";
import { fromDrizzle } from "pg-boss";
import type { Queryable } from "../../db/client";
import { type HeartbeatDecision, heartbeats, runs } from "../../db/schema";
import { appendEvents } from "../../lib/events/append-events";
import type { QueuePayload } from "../../lib/jobs/queues";
import { abandonStaleJudgments, claimTasksToJudge } from "../../lib/heartbeats/judgment-digest";
import { observeRuns, type RunObservation } from "../../lib/heartbeats/observe-runs";
import { nextHeartbeatAt, unscheduleHeartbeat } from "../../lib/runs/heartbeat-schedule";
import { withDefaults } from "../../lib/runs/settings";
import { isFinalRunStatus } from "../../lib/runs/status";
import { ORPHAN_GRACE_MINUTES, recoverOrphanedTask } from "../../lib/tasks/recover-orphaned-task";
import { replaceStalledAttempt } from "../../lib/tasks/replace-stalled-attempt";
import { judgeAtHeartbeat } from "../manager/judge-at-heartbeat";
import type { RunnerContext } from "../runner-context";
import { defineJob } from "./types";

type Payload = QueuePayload<"run.heartbeat">;

/** Manager reviews one heartbeat pass runs at once. */
const JUDGMENTS_AT_ONCE = 2;
type Run = typeof runs.$inferSelect;

/** Runs of this pass whose heartbeat lock this transaction holds. Race: two runners beating one run at once; the second skips it. */
async function lockRuns(tx: Queryable, runIds: string[]): Promise<Run[]> {
  const locked = await tx.execute<{ id: string }>(sql`
    select id from unnest(${`{${runIds.join(",")}}`}::uuid[]) as id
    where pg_try_advisory_xact_lock(hashtextextended('heartbeat:' || id::text, 0))`);
  const ids = locked.map((row) => row.id);
  return ids.length > 0 ? tx.select().from(runs).where(inArray(runs.id, ids)) : [];
}

/**
 * What one run's heartbeat decides: a silent worker of a running run is
 * replaced (paused runs keep theirs), each open PR is synced, and a running
 * task nothing works on goes back to work on its thread.
 */
async function decide(tx: Queryable, ctx: RunnerContext, run: Run, seen: RunObservation): Promise<HeartbeatDecision[]> {
  const decisions: HeartbeatDecision[] = [];
  const stallBefore = Date.now() - run.settings.stallTimeoutMinutes * 60_000;
  const stalled = seen.live.filter((attempt) => attempt.lastActivityAt.getTime() < stallBefore);
  if (run.status === "running") {
    const cap = withDefaults(run.settings).stallReplacementCap;
    for (const attempt of stalled) {
      const silentMinutes = Math.round((Date.now() - attempt.lastActivityAt.getTime()) / 60_000);
      const decided = await replaceStalledAttempt(tx, ctx.boss, { runId: run.id, taskId: attempt.taskId, attemptId: attempt.id, attemptNumber: attempt.number, silentMinutes, cap });
      if (decided?.action === "replaced") {
        decisions.push({
          action: "replace_stalled_attempt",
          taskId: attempt.taskId,
          reason: `No event from attempt ${attempt.number} for ${silentMinutes} min (stall timeout ${run.settings.stallTimeoutMinutes} min): interrupted; attempt ${decided.attempt} continues its thread (replacement ${decided.stalls} of ${cap}).`,
        });
      } else if (decided?.action === "blocked") {
        decisions.push({ action: "block_stalled_task", taskId: attempt.taskId, reason: decided.reason });
      }
    }
  }
  // Follow CI and reviews (the syncs are queued for the whole pass at once, conditional requests: an unchanged PR costs nothing).
  for (const pull of seen.openPulls) {
    decisions.push({ action: "sync_pull_request", taskId: pull.taskId, reason: `Sync PR #${pull.number} (CI ${pull.ciState}, review ${pull.reviewState?.toLowerCase().replace("_", " ") ?? "none"}).` });
  }
  for (const orphan of seen.orphans) {
    const recovered = await recoverOrphanedTask(tx, ctx.boss, orphan);
    decisions.push({
      action: "recover_orphaned_task",
      taskId: orphan.id,
      reason:
        recovered.action === "resumed"
          ? `${orphan.key} was running with no live attempt and no queued job for ${ORPHAN_GRACE_MINUTES}+ min: attempt ${recovered.attempt} continues its thread.`
          : `${orphan.key} was running with no live attempt and no thread: blocked for a human to retry.`,
    });
  }
  return decisions;
}

function observationsOf(run: Run, seen: RunObservation, stalledBefore: number) {
  return {
    runStatus: run.status,
    tasksByStatus: Object.fromEntries(seen.byStatus.map((row) => [row.status, row.count])),
    orphanedTasks: seen.orphans.map((orphan) => orphan.key),
    stalledAttempts: seen.live.filter((a) => a.lastActivityAt.getTime() < stalledBefore).map((a) => ({ attemptId: a.id, taskId: a.taskId, lastActivityAt: a.lastActivityAt.toISOString() })),
    openQuestions: seen.openQuestions,
    pendingApprovals: seen.pendingApprovals,
    blockedTasks: seen.blocked.map((task) => ({ key: task.key, reason: task.reason })),
    openPullRequests: seen.openPulls.map((pull) => ({ number: pull.number, ciState: pull.ciState, reviewState: pull.reviewState })),
  };
}

/**
 * One heartbeat pass over some runs (DESIGN.md §4.8): looks at each, stores
 * what it saw and what it decided (stalled workers replaced, PRs synced,
 * orphans recovered). Everything a quiet run needs is one query per concern
 * for the whole pass, not per run. When a task needs judgment, the manager
 * reviews a digest of Foreman's records after the commit, run by run, and its
 * decisions are applied within caps.
 */
export async function heartbeatPass(ctx: RunnerContext, payloads: Payload[]): Promise<void> {
  // One heartbeat per run per pass; a person's "Check now" names it.
  const triggers = new Map<string, Payload["trigger"]>();
  for (const { runId, trigger } of payloads) if (!triggers.has(runId) || trigger === "manual") triggers.set(runId, trigger);
  const judgments = await ctx.db.transaction(async (tx) => {
    const locked = await lockRuns(tx, [...triggers.keys()]);
    // A finished run needs no heartbeat: its schedule removes itself.
    for (const run of locked.filter((run) => isFinalRunStatus(run.status))) await unscheduleHeartbeat(ctx.boss, run.id);
    const active = locked.filter((run) => !isFinalRunStatus(run.status));
    if (active.length === 0) return [];
    const ids = active.map((run) => run.id);
    const seen = await observeRuns(
      tx,
      ids,
      active.filter((run) => run.status === "running").map((run) => run.id),
    );
    const decided = new Map<string, HeartbeatDecision[]>();
    for (const run of active) decided.set(run.id, await decide(tx, ctx, run, seen.get(run.id)!));
    const pulls = active.flatMap((run) => seen.get(run.id)!.openPulls);
    if (pulls.length > 0) {
      // One insert for the pass; the queue is `stately`, keyed by the PR: a sync already waiting is kept.
      await ctx.boss.insert(
        "github.sync",
        pulls.map((pull) => ({ data: { pullRequestId: pull.id, trigger: "heartbeat" }, singletonKey: pull.id })),
        { db: fromDrizzle(tx, sql) },
      );
    }
    // One update per distinct interval (usually one for the whole pass).
    for (const minutes of new Set(active.map((run) => run.settings.heartbeatIntervalMinutes))) {
      const group = active.filter((run) => run.settings.heartbeatIntervalMinutes === minutes).map((run) => run.id);
      await tx.update(runs).set({ nextHeartbeatAt: nextHeartbeatAt(minutes) }).where(inArray(runs.id, group));
    }
    await abandonStaleJudgments(tx, ids);
    // Something to judge (a task blocked or failed, disputed claims, weakened checks): the manager's turn runs after this commit.
    const judging = ctx.agents ? await claimTasksToJudge(tx, active.filter((run) => run.status === "running").map((run) => run.id)) : new Map<string, string[]>();
    const observed = new Map(active.map((run) => [run.id, observationsOf(run, seen.get(run.id)!, Date.now() - run.settings.stallTimeoutMinutes * 60_000)]));
    const beats = await tx
      .insert(heartbeats)
      .values(
        active.map((run) => {
          const judged = judging.get(run.id) ?? [];
          const observations = observed.get(run.id)!;
          return {
            runId: run.id,
            trigger: triggers.get(run.id)!,
            status: judged.length ? ("running" as const) : ("completed" as const),
            runnerId: ctx.runnerId,
            observations: judged.length ? { ...observations, judging: judged } : observations,
            decisions: decided.get(run.id)!,
            finishedAt: judged.length ? null : new Date(),
          };
        }),
      )
      .returning({ id: heartbeats.id, runId: heartbeats.runId });
    const beatOf = new Map(beats.map((beat) => [beat.runId, beat.id]));
    const summaries = new Map(
      active.map((run) => {
        const observations = observed.get(run.id)!;
        const judged = (judging.get(run.id) ?? []).length > 0;
        const taskCount = seen.get(run.id)!.byStatus.reduce((sum, row) => sum + row.count, 0);
        const summary = [
          `Run ${run.status}; ${taskCount} task(s), ${observations.stalledAttempts.length} stalled, ${observations.openQuestions} open question(s), ${observations.pendingApprovals} pending approval(s).`,
          ...seen.get(run.id)!.blocked.map((task) => `${task.key} is blocked${judged ? "" : " and needs a human"}: ${(task.reason ?? "no reason recorded").slice(0, 300)}`),
        ].join(" ");
        return [run.id, summary];
      }),
    );
    await appendEvents(
      tx,
      active
        .filter((run) => !judging.get(run.id)?.length)
        .map((run) => ({
          runId: run.id,
          payload: { type: "heartbeat.completed" as const, heartbeatId: beatOf.get(run.id)!, trigger: triggers.get(run.id)!, summary: summaries.get(run.id)!, decisions: decided.get(run.id)!.length },
        })),
    );
    return [...judging].filter(([, judged]) => judged.length > 0).map(([runId, judged]) => ({ runId, trigger: triggers.get(runId)!, heartbeatId: beatOf.get(runId)!, judging: judged, summary: summaries.get(runId)! }));
  });
  const runtime = ctx.agents;
  if (!runtime) return;
  // Manager turns take minutes: as many at once as single heartbeat jobs ran before batching.
  const waiting = [...judgments];
  await Promise.all(
    Array.from({ length: Math.min(JUDGMENTS_AT_ONCE, waiting.length) }, async () => {
      for (let next = waiting.shift(); next; next = waiting.shift()) await judgeAtHeartbeat({ db: ctx.db, boss: ctx.boss, runtime, runnerId: ctx.runnerId }, next);
    }),
  );
}

/** `run.heartbeat`: a run's heartbeat, taken in batches by the runner so a pass over many runs costs a few queries (heartbeatPass). */
export const runHeartbeat = defineJob({
  name: "run.heartbeat",
  concurrency: JUDGMENTS_AT_ONCE,
  batch: { size: 100, handle: heartbeatPass },
  async handle(ctx, payload) {
    await heartbeatPass(ctx, [payload]);
  },
});
