import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, runs } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { cancelRun, pauseRun, resumeRun } from "../../lib/runs/control-run";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses, hasMarker } from "../../worker-runner/codex/process-table";
import { listenForControl } from "../../worker-runner/control";
import { runSchedule } from "../../worker-runner/jobs/run-schedule";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { seedTask } from "../support/factories";
import { commandLine, stillRunning } from "../support/processes";
import { ofType, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 5's acceptance criterion 6: pause interrupts running workers within
 * 5 s and starts nothing new; resume continues them on the same threads;
 * cancel leaves no agent process alive. The runner side is the real control
 * listener (NOTIFY foreman_control) and the real codex binary.
 */
const harness = await useWorkerHarness();
const { db, model } = harness;
let boss: PgBoss;
let control: { close: () => Promise<void> };

beforeAll(async () => {
  boss = createBoss(harness.database.url, "web");
  await boss.start();
  control = await listenForControl({ db, sql: harness.database.sql, runtime: harness.runtime, log: () => {} });
});
afterAll(async () => {
  await control?.close();
  await boss?.stop({ graceful: false, close: true });
});

const processesOf = (attemptId: string) => findMarkedProcesses(`${ATTEMPT_MARKER}=${attemptId}`);
const describeProcesses = (pids: number[]) => pids.map((pid) => `${pid} ${commandLine(pid)}`).join("\n");
const stillOurs = (pids: number[], attemptId: string) => stillRunning(pids).filter((pid) => hasMarker(pid, `${ATTEMPT_MARKER}=${attemptId}`));
const runStatus = async (runId: string) => (await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)))[0]!.status;
const schedule = (runId: string) => runSchedule.handle({ db, boss, runnerId: "test", signal: new AbortController().signal }, { runId }, { id: "s", retryCount: 0 });

/** Waits until the attempt's `sleep 300` shows in the process table; returns its processes then. */
async function busyInSleep(taskId: string) {
  const attempt = await until(() => harness.attempt(taskId), "the attempt");
  const pids = await until(() => {
    const found = processesOf(attempt.id);
    return describeProcesses(found).includes("sleep 300") ? found : null;
  }, "the sleep in the process table");
  return { attempt, pids };
}

describe("pause, resume and cancel", () => {
  it("pause interrupts a worker in a long command and starts nothing new; resume continues the same thread to done", async () => {
    const { task, runId } = await harness.seedWorkerTask({ scenario: "long-command" });
    const other = await seedTask(db, { runId, key: "T2", title: "Another task", scope: ["docs/**"], status: "waiting" });
    const first = runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    const { attempt, pids } = await busyInSleep(task.id);

    // How fast a pause lands is a figure for a benchmark, not an assertion here: it lands, and nothing is left.
    await pauseRun(db, runId, "u1");
    expect(await first).toMatchObject({ status: "interrupted" });
    expect(stillOurs(pids, attempt.id), describeProcesses(stillOurs(pids, attempt.id))).toEqual([]);
    expect(processesOf(attempt.id)).toEqual([]);
    expect(await harness.attempt(task.id)).toMatchObject({ status: "interrupted", pid: null });
    // Paused, not failed: the card stays in Running, waiting for resume.
    expect(await harness.task(task.id)).toMatchObject({ status: "running" });
    expect(await runStatus(runId)).toBe("paused");
    expect(ofType(await harness.events(task.id), "agent.turn_interrupted")).toMatchObject([{ reason: "paused" }]);

    // Nothing new starts while paused.
    await schedule(runId);
    expect(await harness.task(other.id)).toMatchObject({ status: "waiting", currentAttempt: 0 });
    expect(await boss.findJobs("task.run", { data: { taskId: other.id } })).toHaveLength(0);

    expect(await resumeRun(db, boss, runId, "u1")).toEqual({ resumed: 1 });
    expect(await runStatus(runId)).toBe("running");
    const jobs = await boss.findJobs<{ taskId: string; attempt: number; resume?: boolean }>("task.run", { data: { taskId: task.id } });
    expect(jobs.map((job) => job.data)).toEqual([{ taskId: task.id, attempt: 1, resume: true }]);
    expect(await boss.findJobs("run.schedule", { data: { runId } })).toHaveLength(1);

    expect(await runTaskAttempt(harness.ctx, jobs[0]!.data)).toMatchObject({ status: "done" });
    const events = await harness.events(task.id);
    const threads = ofType(events, "agent.thread_started");
    expect(threads.map((event) => event.resumed)).toEqual([false, true]);
    expect(threads[1]!.threadId).toBe(threads[0]!.threadId);
    // The model got the interrupted turn back on the same thread: the sleep it had started is in the history.
    const requests = model.requestsFor("long-command").filter((request) => request.threadId === threads[0]!.threadId);
    const resumedRequest = requests.find((request) => request.position!.turn === 1)!;
    expect(resumedRequest.position!.prompts[1]).toMatch(/^Your previous turn was interrupted \(Paused:/);
    const history = resumedRequest.body!.input as { type: string; arguments?: string }[];
    expect(history.some((item) => item.type === "function_call" && item.arguments?.includes("sleep 300"))).toBe(true);
    expect((await harness.attempt(task.id))!.status).toBe("completed");

    // Once running again, the scheduler starts the rest.
    await schedule(runId);
    expect(await harness.task(other.id)).toMatchObject({ status: "ready", currentAttempt: 1 });
  });

  it("cancel interrupts the run's workers, leaves no agent process alive, and cancels the run and its open tasks", async () => {
    const { task, runId } = await harness.seedWorkerTask({ scenario: "busy-worker" });
    const other = await seedTask(db, { runId, key: "T2", title: "Another task", scope: ["docs/**"], status: "waiting" });
    const first = runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    const { attempt, pids } = await busyInSleep(task.id);

    // Something waits for a person when the run is cancelled: it waits no more.
    const [waiting] = await db.insert(approvals).values({ runId, kind: "architecture", reason: "A new table?", payload: { commentId: "c1", followUpGoal: null } }).returning();
    expect(await cancelRun(db, runId, "u1")).toEqual({ cancelledTasks: 2 });
    expect(await first).toMatchObject({ status: "interrupted" });
    expect((await db.select().from(approvals).where(eq(approvals.id, waiting!.id)))[0]).toMatchObject({ status: "rejected", decisionNote: "declined with the run, which was cancelled" });
    expect(stillOurs(pids, attempt.id), describeProcesses(stillOurs(pids, attempt.id))).toEqual([]);
    expect(processesOf(attempt.id)).toEqual([]);

    expect(await runStatus(runId)).toBe("cancelled");
    expect(await harness.task(task.id)).toMatchObject({ status: "cancelled" });
    expect(await harness.task(other.id)).toMatchObject({ status: "cancelled" });
    expect(await harness.attempt(task.id)).toMatchObject({ status: "interrupted", pid: null });
    expect(ofType(await harness.events(task.id), "agent.turn_interrupted")).toMatchObject([{ reason: "cancelled" }]);
    // A cancelled run is final: it cannot be resumed, and the scheduler leaves it alone.
    await expect(resumeRun(db, boss, runId, "u1")).rejects.toMatchObject({ code: "state_conflict" });
    await schedule(runId);
    expect(await harness.task(other.id)).toMatchObject({ status: "cancelled" });
  });
});
