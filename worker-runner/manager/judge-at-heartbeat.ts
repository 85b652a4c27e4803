import { eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { heartbeats, runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { applyHeartbeatReview } from "../../lib/heartbeats/apply-review";
import { transitionHeartbeat } from "../../lib/heartbeats/transition-heartbeat";
import { type HeartbeatReview, heartbeatReviewSchema } from "../../lib/heartbeats/heartbeat-review";
import { judgmentDigest, releaseJudgment } from "../../lib/heartbeats/judgment-digest";
import type { HeartbeatTrigger } from "../../lib/heartbeats/status";
import { heartbeatReviewPrompt } from "../../lib/prompts/manager";
import { withDefaults } from "../../lib/runs/settings";
import { head } from "../../lib/shared/cap";
import type { AgentRuntime } from "../codex/runtime";
import { ensureCheckout } from "../git/ensure-checkout";
import { askManager, type ManagerAnswer } from "./ask-manager";
import { loadRunWithRepository } from "./load-run";

/**
 * The manager's judgment at a heartbeat (DESIGN.md §4.8): the run's manager
 * thread (read-only) gets a digest of Foreman's records for the claimed tasks
 * and returns a HeartbeatReview; its decisions are applied within caps and
 * stored with their reasons on the heartbeat row, which completes here. When
 * the manager cannot answer, the heartbeat fails with the reason and the
 * tasks are judged again at the next one.
 */
export async function judgeAtHeartbeat(
  ctx: { db: Db; boss: PgBoss; runtime: AgentRuntime; runnerId: string },
  input: { runId: string; trigger: HeartbeatTrigger; heartbeatId: string; judging: string[]; summary: string },
): Promise<void> {
  const { db, runtime } = ctx;
  const { runId, heartbeatId } = input;
  const row = await loadRunWithRepository(db, runId);
  if (!row) return;
  const settings = withDefaults(row.run.settings);
  let answer: ManagerAnswer<HeartbeatReview>;
  let judgedKeys: string[] = [];
  try {
    const digest = await judgmentDigest(db, runId, input.judging, settings);
    judgedKeys = digest.judged.map((task) => task.key);
    const [{ done } = { done: 0 }] = await db.execute<{ done: number }>(
      sql`select coalesce(sum(manager_follow_ups), 0)::int + (count(*) filter (where parent_task_id is not null))::int as done from tasks where run_id = ${runId}`,
    );
    const prompt = heartbeatReviewPrompt({
      fresh: row.run.managerThreadId ? null : { title: row.run.title, scope: row.run.scope },
      judged: digest.judged,
      others: digest.others,
      caps: { managerActionsLeft: Math.max(settings.managerActionCap - Number(done), 0), newTasksPerReview: settings.managerNewTasksPerReview },
    });
    const cwd = await ensureCheckout(runtime, row.repository);
    answer = await askManager(
      { db, runtime, runnerId: ctx.runnerId, runId, threadId: row.run.managerThreadId, cwd, model: settings.model ?? runtime.model, prompt, turnKey: `heartbeat-${runId}` },
      heartbeatReviewSchema,
      "manager_heartbeat",
    );
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? error.message : String(error), threadId: null };
  }

  await db.transaction(async (tx) => {
    const [run] = await tx.select({ status: runs.status, managerThreadId: runs.managerThreadId }).from(runs).where(eq(runs.id, runId)).for("no key update");
    if (answer.threadId && !run?.managerThreadId) await tx.update(runs).set({ managerThreadId: answer.threadId }).where(eq(runs.id, runId));
    const [beat] = await tx
      .select({ decisions: heartbeats.decisions, observations: heartbeats.observations, status: heartbeats.status })
      .from(heartbeats)
      .where(eq(heartbeats.id, heartbeatId))
      .for("no key update");
    // Race: a later heartbeat abandoned this one as stale and released its tasks; its answer is not applied.
    if (beat?.status !== "running") return;
    const earlier = beat.decisions;
    if (!answer.ok) {
      await releaseJudgment(tx, input.judging);
      const error = head(`The manager could not review ${judgedKeys.join(", ") || "the blocked tasks"}: ${answer.error}`, 4000);
      await transitionHeartbeat(tx, heartbeatId, "failed", { reason: error });
      await appendEvent(tx, { runId, payload: { type: "run.note", level: "warning", message: error } });
      await appendEvent(tx, { runId, payload: { type: "heartbeat.completed", heartbeatId, trigger: input.trigger, summary: `${input.summary} ${error}`, decisions: earlier.length } });
      return;
    }
    // Race: a human paused or cancelled the run while the manager thought; its decisions wait for the next heartbeat.
    const decisions =
      run?.status === "running"
        ? await applyHeartbeatReview(tx, ctx.boss, { runId, heartbeatId, settings, review: answer.value, judgedKeys })
        : answer.value.decisions.map((decision) => ({
            action: `manager_${decision.kind}`,
            taskKey: decision.taskKey,
            reason: head(`Not applied: the run is ${run?.status ?? "gone"}. Manager's reason: ${decision.reason}`, 4000),
            outcome: "refused" as const,
          }));
    if (run?.status !== "running") await releaseJudgment(tx, input.judging);
    await transitionHeartbeat(tx, heartbeatId, "completed", {
      decisions: [...earlier, ...decisions],
      observations: { ...beat.observations, judgedTasks: judgedKeys, managerSummary: head(answer.value.summary, 4000) },
    });
    await appendEvent(tx, {
      runId,
      payload: {
        type: "heartbeat.completed",
        heartbeatId,
        trigger: input.trigger,
        summary: head(`${input.summary} The manager judged ${judgedKeys.join(", ")}: ${answer.value.summary}`, 4000),
        decisions: earlier.length + decisions.length,
      },
    });
  });
}
