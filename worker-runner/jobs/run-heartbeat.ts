import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { approvals, attempts, type HeartbeatDecision, heartbeats, pullRequests, questions, runs, tasks } from "../../db/schema";
import { enqueueSync } from "../../lib/github/enqueue-sync";
import { findOrphanedTasks, ORPHAN_GRACE_MINUTES, recoverOrphanedTask } from "../../lib/tasks/recover-orphaned-task";
import { replaceStalledAttempt } from "../../lib/tasks/replace-stalled-attempt";
import { appendEvent } from "../../lib/events/append-event";
import { nextHeartbeatAt, unscheduleHeartbeat } from "../../lib/runs/heartbeat-schedule";
import { withDefaults } from "../../lib/runs/settings";
import { isFinalRunStatus } from "../../lib/runs/status";
import { abandonStaleJudgments, claimTasksToJudge } from "../../lib/heartbeats/judgment-digest";
import { judgeAtHeartbeat } from "../manager/judge-at-heartbeat";
import { defineJob } from "./types";

/**
 * `run.heartbeat`: looks at a run, stores what it saw and what it decided
 * (stalled workers replaced, PRs synced, orphans recovered); when a task needs
 * judgment, the manager reviews a digest of Foreman's records and its
 * decisions are applied within caps (DESIGN.md §4.8).
 */
export const runHeartbeat = defineJob({
  name: "run.heartbeat",
  concurrency: 2,
  async handle(ctx, { runId, trigger }) {
    const pending = await ctx.db.transaction(async (tx) => {
      // Race: two runners handling heartbeats of one run at once; the second skips.
      const [lock] = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtextextended(${`heartbeat:${runId}`}, 0)) as locked`,
      );
      if (!lock?.locked) return null;
      const [run] = await tx.select().from(runs).where(eq(runs.id, runId));
      if (!run) return null;
      // A finished run needs no heartbeat: its schedule removes itself.
      if (isFinalRunStatus(run.status)) {
        await unscheduleHeartbeat(ctx.boss, runId);
        return null;
      }

      const byStatus = await tx
        .select({ status: tasks.status, count: sql<number>`count(*)::int` })
        .from(tasks)
        .where(eq(tasks.runId, runId))
        .groupBy(tasks.status);
      const stallBefore = new Date(Date.now() - run.settings.stallTimeoutMinutes * 60_000);
      const stalled = await tx
        .select({ id: attempts.id, taskId: attempts.taskId, number: attempts.number, lastActivityAt: attempts.lastActivityAt })
        .from(attempts)
        .where(and(eq(attempts.runId, runId), inArray(attempts.status, ["starting", "running"]), lt(attempts.lastActivityAt, stallBefore)));
      const [open] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(questions)
        .where(and(eq(questions.runId, runId), eq(questions.status, "open")));
      const [pending] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(approvals)
        .where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")));

      // A blocked task keeps the run open; the heartbeat says what each one needs.
      const blocked = await tx
        .select({ key: tasks.key, reason: tasks.holdReason })
        .from(tasks)
        .where(and(eq(tasks.runId, runId), eq(tasks.status, "blocked")));
      const openPulls = await tx
        .select({ id: pullRequests.id, taskId: pullRequests.taskId, number: pullRequests.number, ciState: pullRequests.ciState, reviewState: pullRequests.reviewState })
        .from(pullRequests)
        .where(and(eq(pullRequests.runId, runId), eq(pullRequests.state, "open")));
      const orphans = run.status === "running" ? await findOrphanedTasks(tx, runId) : [];
      const observations = {
        runStatus: run.status,
        tasksByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])),
        orphanedTasks: orphans.map((orphan) => orphan.key),
        stalledAttempts: stalled.map((a) => ({ attemptId: a.id, taskId: a.taskId, lastActivityAt: a.lastActivityAt.toISOString() })),
        openQuestions: open?.count ?? 0,
        pendingApprovals: pending?.count ?? 0,
        blockedTasks: blocked.map((task) => ({ key: task.key, reason: task.reason })),
        openPullRequests: openPulls.map((pull) => ({ number: pull.number, ciState: pull.ciState, reviewState: pull.reviewState })),
      };
      // Decide: a silent worker of a running run is replaced (paused runs keep theirs).
      const decisions: HeartbeatDecision[] = [];
      if (run.status === "running") {
        for (const attempt of stalled) {
          const silentMinutes = Math.round((Date.now() - attempt.lastActivityAt.getTime()) / 60_000);
          const cap = withDefaults(run.settings).stallReplacementCap;
          const decided = await replaceStalledAttempt(tx, ctx.boss, { runId, taskId: attempt.taskId, attemptId: attempt.id, attemptNumber: attempt.number, silentMinutes, cap });
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
      // Follow CI and reviews: each open PR is synced (conditional requests, so an unchanged PR costs nothing).
      if (!isFinalRunStatus(run.status)) {
        for (const pull of openPulls) {
          await enqueueSync(ctx.boss, pull.id, "heartbeat", { tx });
          decisions.push({ action: "sync_pull_request", taskId: pull.taskId, reason: `Sync PR #${pull.number} (CI ${pull.ciState}, review ${pull.reviewState?.toLowerCase().replace("_", " ") ?? "none"}).` });
        }
      }
      // A running task nothing works on (its replacement gave up, a job was lost): back to work on its thread.
      for (const orphan of orphans) {
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
      await tx
        .update(runs)
        .set({ nextHeartbeatAt: isFinalRunStatus(run.status) ? null : nextHeartbeatAt(run.settings.heartbeatIntervalMinutes) })
        .where(eq(runs.id, runId));
      await abandonStaleJudgments(tx, runId);
      // Something to judge (a task blocked or failed, disputed claims, weakened checks): the manager's turn runs after this commit.
      const judging = run.status === "running" && ctx.agents ? await claimTasksToJudge(tx, runId) : [];
      const [beat] = await tx
        .insert(heartbeats)
        .values({
          runId,
          trigger,
          status: judging.length ? "running" : "completed",
          runnerId: ctx.runnerId,
          observations: judging.length ? { ...observations, judging } : observations,
          decisions,
          finishedAt: judging.length ? null : new Date(),
        })
        .returning({ id: heartbeats.id });
      const taskCount = byStatus.reduce((sum, row) => sum + row.count, 0);
      const summary = [
        `Run ${run.status}; ${taskCount} task(s), ${stalled.length} stalled, ${observations.openQuestions} open question(s), ${observations.pendingApprovals} pending approval(s).`,
        ...blocked.map((task) => `${task.key} is blocked${judging.length ? "" : " and needs a human"}: ${(task.reason ?? "no reason recorded").slice(0, 300)}`),
      ].join(" ");
      if (judging.length > 0) return { heartbeatId: beat!.id, judging, summary };
      await appendEvent(tx, { runId, payload: { type: "heartbeat.completed", heartbeatId: beat!.id, trigger, summary, decisions: decisions.length } });
      return null;
    });
    if (pending && ctx.agents) await judgeAtHeartbeat({ db: ctx.db, boss: ctx.boss, runtime: ctx.agents, runnerId: ctx.runnerId }, { runId, trigger, ...pending });
  },
});
