import { and, asc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, heartbeats, runs, tasks } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { listenForControl } from "../../worker-runner/control";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses } from "../../worker-runner/codex/process-table";
import { seedAttempt } from "../support/factories";
import { ofType, until, useWorkerHarness } from "../support/workers";

const harness = await useWorkerHarness();
const { db } = harness;
let boss: PgBoss;
let control: { close(): Promise<unknown> };
beforeAll(async () => {
  boss = createBoss(harness.database.url, "web");
  await boss.start();
  control = await listenForControl({ db, sql: harness.database.sql, runtime: harness.runtime, log: () => {} });
});
afterAll(async () => {
  await control.close();
  await boss.stop({ graceful: false, close: true });
});

describe("the heartbeat", () => {
  it("replaces a worker whose model went silent: a new attempt resumes the same thread in the same worktree, and the heartbeat row records why", async () => {
    const { task, runId } = await harness.seedWorkerTask({ scenario: "silent-worker", currentAttempt: 1, settings: { stallTimeoutMinutes: 1 } });
    const first = runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    await until(() => harness.model.requestsFor("silent-worker").some((r) => r.outcome === "hang") || null, "the model to go silent");
    const [silent] = await db.select().from(attempts).where(eq(attempts.taskId, task.id));
    expect(silent?.status).toBe("running");
    // The model really is silent; instead of waiting out the one-minute stall timeout, its last event is dated back —
    // once the runner has recorded the turn's start (on a busy machine it may still be writing it, and would date it forward again).
    await until(async () => ofType(await harness.events(task.id), "agent.turn_started").length > 0 || null, "the turn's start recorded");
    await db.update(attempts).set({ lastActivityAt: new Date(Date.now() - 2 * 60_000) }).where(eq(attempts.id, silent!.id));

    await runHeartbeat.handle({ db, boss, runnerId: "heartbeat-runner", signal: new AbortController().signal }, { runId, trigger: "schedule" }, { id: "hb", retryCount: 0 });
    const [beat] = await db.select().from(heartbeats).where(eq(heartbeats.runId, runId));
    expect(beat?.decisions).toEqual([{ action: "replace_stalled_attempt", taskId: task.id, reason: expect.stringMatching(/^No event from attempt 1 for 2 min \(stall timeout 1 min\)/) }]);

    expect(await first).toMatchObject({ status: "interrupted" });
    // No process of the silent attempt is left (they carry its marker in their environment).
    expect(findMarkedProcesses(`${ATTEMPT_MARKER}=${silent!.id}`)).toEqual([]);
    const [job] = await boss.findJobs<{ taskId: string; attempt: number; replaces?: number }>("task.run", { data: { taskId: task.id } });
    expect(job?.data).toEqual({ taskId: task.id, attempt: 2, replaces: 1 });
    const second = await runTaskAttempt(harness.ctx, job!.data);
    expect(second.status).toBe("done");

    const rows = await db.select().from(attempts).where(eq(attempts.taskId, task.id)).orderBy(asc(attempts.number));
    expect(rows.map((row) => [row.number, row.status])).toEqual([
      [1, "interrupted"],
      [2, "completed"],
    ]);
    expect(rows[1]!.threadId).toBe(rows[0]!.threadId);
    expect(rows[1]!.worktreePath).toBe(rows[0]!.worktreePath);
    const threads = new Set(harness.model.requestsFor("silent-worker").map((r) => r.threadId));
    expect(threads).toEqual(new Set([rows[0]!.threadId]));
    expect((await harness.task(task.id)).status).toBe("done");
    expect((await db.select({ status: runs.status }).from(runs).where(and(eq(runs.id, runId))))[0]?.status).toBe("running");
  });

  it("puts a running task nothing works on back on its thread, and leaves one whose job still waits for a worker", async () => {
    const orphan = await harness.seedWorkerTask({ scenario: "honest-worker", key: "T1", currentAttempt: 1 });
    const waiting = await harness.seedWorkerTask({ scenario: "honest-worker", key: "T2", currentAttempt: 1, runId: orphan.runId });
    const longAgo = new Date(Date.now() - 10 * 60_000);
    for (const seeded of [orphan, waiting]) {
      await db.update(tasks).set({ status: "running", statusChangedAt: longAgo }).where(eq(tasks.id, seeded.task.id));
      await seedAttempt(db, { taskId: seeded.task.id, runId: seeded.runId, number: 1, status: "interrupted", threadId: `thread-${seeded.task.key}`, exitReason: "stalled" });
    }
    // T2's replacement is queued, waiting for a free worker: not an orphan.
    await boss.send("task.run", { taskId: waiting.task.id, attempt: 1, resume: true });

    await runHeartbeat.handle({ db, boss, runnerId: "heartbeat-runner", signal: new AbortController().signal }, { runId: orphan.runId, trigger: "manual" }, { id: "hb", retryCount: 0 });
    const [beat] = await db.select().from(heartbeats).where(eq(heartbeats.runId, orphan.runId));
    expect(beat?.decisions).toEqual([{ action: "recover_orphaned_task", taskId: orphan.task.id, reason: expect.stringContaining("attempt 2 continues its thread") }]);
    expect(beat?.observations).toMatchObject({ orphanedTasks: ["T1"] });
    const jobs = await boss.findJobs<{ taskId: string; attempt: number; replaces?: number }>("task.run", { data: { taskId: orphan.task.id } });
    expect(jobs.map((job) => job.data)).toEqual([{ taskId: orphan.task.id, attempt: 2, replaces: 1 }]);
    expect((await harness.task(orphan.task.id)).currentAttempt).toBe(2);
    expect((await harness.task(waiting.task.id)).currentAttempt).toBe(1);
  });
});
