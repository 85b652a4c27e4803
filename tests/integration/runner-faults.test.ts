import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, gt } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { attempts, codexThreads, runEvents, runners } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses, stopMarkedProcesses } from "../../worker-runner/codex/process-table";
import { stillRunning } from "../support/processes";
import { type RunnerProcess, useRunnerProcesses } from "../support/runners";
import { gitOut, ofType, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 14: runners that die, stop or freeze mid-turn, as real processes
 * (worker-runner/main.ts) against the real codex and the scripted model.
 * The worker (scenario long-haul) is in a five-minute shell command when
 * its runner goes; resumed on its thread, it makes the change and reports.
 * Nothing here is done by a human: the task must end `done` by itself.
 */
const harness = await useWorkerHarness();
const { db, model } = harness;
const startRunner = useRunnerProcesses({ databaseUrl: harness.database.url, modelBaseUrl: model.baseUrl });
const boss = createBoss(harness.database.url, "web");
await boss.start();
const otherHosts: string[] = [];
const attemptIds: string[] = [];
afterAll(async () => {
  for (const attemptId of attemptIds) await stopMarkedProcesses(`${ATTEMPT_MARKER}=${attemptId}`, { graceMs: 0 });
  await boss.stop({ graceful: false, close: true });
  for (const dir of otherHosts) rmSync(dir, { recursive: true, force: true });
});

/** A second FOREMAN_DATA_DIR: a runner on another host shares only PostgreSQL (and the repository's origin). */
function anotherHost(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "foreman-host-b-"));
  otherHosts.push(dir);
  return dir;
}

const processesOf = (attemptId: string) => findMarkedProcesses(`${ATTEMPT_MARKER}=${attemptId}`);

/**
 * Starts a task with both runners up, and waits until its worker is inside its
 * long command: `holder` is the runner that took it, `other` the one left.
 */
async function busyOn(runners: [RunnerProcess, RunnerProcess]) {
  const ids = await Promise.all(runners.map((runner) => runner.id()));
  const { task, repo } = await harness.seedWorkerTask({ scenario: "long-haul", currentAttempt: 0 });
  await startTaskAttempt(db, boss, task.id);
  await until(async () => ofType(await harness.events(task.id), "agent.command_started").find((event) => event.command.includes("sleep 300")), "the worker's long command");
  const attempt = (await harness.attempt(task.id))!;
  attemptIds.push(attempt.id);
  await until(() => processesOf(attempt.id).length > 0 || null, "the worker's processes");
  const at = ids.indexOf(attempt.runnerId!);
  expect(at).toBeGreaterThanOrEqual(0);
  return { task, repo: repo!, attempt, holder: runners[at]!, other: runners[1 - at]!, otherId: ids[1 - at]! };
}

async function doneBy(taskId: string, runner: RunnerProcess, what: string) {
  return until(
    async () => {
      const task = await harness.task(taskId);
      if (task.status === "blocked" || task.status === "failed") throw new Error(`the task was ${task.status}: ${task.holdReason}\n${runner.output()}`);
      return task.status === "done" ? task : null;
    },
    `${what}:\n${runner.output()}`,
    180_000,
  );
}

/** The branch holds the change once: no commit repeated by the take-over. */
function expectOneChange(repo: string, branch: string) {
  const subjects = gitOut(repo, "log", "--format=%s", `main..${branch}`).split("\n").filter(Boolean);
  expect(new Set(subjects).size, subjects.join("\n")).toBe(subjects.length);
  expect(gitOut(repo, "diff", "--name-only", `main...${branch}`)).toBe("greeting.txt");
  expect(gitOut(repo, "show", `${branch}:greeting.txt`)).toBe("hello, world");
}

describe("a runner that fails mid-turn", () => {
  it("killed with SIGKILL: its agent processes stop with it, a runner on another host takes the attempt over, continues its thread and finishes the task", async () => {
    const { task, repo, attempt, holder: first, other: second, otherId: secondId } = await busyOn([startRunner({ dataDir: harness.dataDir }), startRunner({ dataDir: anotherHost() })]);

    first.child.kill("SIGKILL");
    await first.exited;
    // No agent process outlives its runner: the codex wrapper notices it was orphaned.
    await until(() => processesOf(attempt.id).length === 0 || null, "the dead runner's agent processes to stop");

    const done = await doneBy(task.id, second, "the other runner to finish the task");
    const [row] = await db.select().from(attempts).where(eq(attempts.taskId, task.id));
    expect(row).toMatchObject({ id: attempt.id, status: "completed", runnerId: secondId, threadId: attempt.threadId });
    const handedBack = ofType(await harness.events(task.id), "attempt.status_changed").find((event) => event.to === "interrupted");
    expect(handedBack?.reason).toMatch(/stopped answering while attempt 1 was running \(last seen .*\); runner .* took the work over/);
    const [dead] = await db.select().from(runners).where(eq(runners.id, attempt.runnerId!));
    expect(dead!.takenOverBy).toBe(secondId);

    // The thread moved with the work: the other host restored it and the resumed turn saw the first turn's history.
    const [stored] = await db.select({ savedBy: codexThreads.savedBy }).from(codexThreads).where(eq(codexThreads.threadId, attempt.threadId!));
    expect(stored!.savedBy).toBe(secondId);
    const resumed = model.requestsFor("long-haul").filter((request) => request.threadId === attempt.threadId && request.position!.turn === 1);
    expect(resumed.length).toBeGreaterThan(0);
    const history = resumed[0]!.body!.input as { type: string; arguments?: string }[];
    expect(history.some((item) => item.type === "function_call" && item.arguments?.includes("sleep 300"))).toBe(true);
    expectOneChange(repo, done.branch!);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("stopped with SIGTERM (a deploy): it hands the attempt back at once and another runner finishes the task", async () => {
    const { task, repo, attempt, holder: first, other: second, otherId: secondId } = await busyOn([startRunner({ dataDir: harness.dataDir }), startRunner({ dataDir: harness.dataDir })]);
    const before = processesOf(attempt.id);

    first.child.kill("SIGTERM");
    expect(await first.exited, first.output()).toBe(0);
    expect(first.output()).toContain("handing work back");
    // Its own agent processes are gone with it (the other runner's, continuing the attempt, carry the same marker).
    await until(() => stillRunning(before).filter((pid) => processesOf(attempt.id).includes(pid)).length === 0 || null, "the stopped runner's agent processes to end");

    const done = await doneBy(task.id, second, "the other runner to finish the task");
    const [row] = await db.select().from(attempts).where(eq(attempts.taskId, task.id));
    expect(row).toMatchObject({ status: "completed", runnerId: secondId });
    const handedBack = ofType(await harness.events(task.id), "attempt.status_changed").find((event) => event.to === "interrupted");
    expect(handedBack?.reason).toMatch(/runner was stopping, so it interrupted the turn and handed the work back/);
    expect((await harness.events(task.id)).some((event) => event.type === "task.status_changed" && event.to === "blocked")).toBe(false);
    expectOneChange(repo, done.branch!);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("frozen past its lease: another runner takes the work over, and when the frozen one wakes up it changes nothing and stands down", async () => {
    const { task, attempt, holder: first, other: second, otherId: secondId } = await busyOn([startRunner({ dataDir: harness.dataDir }), startRunner({ dataDir: harness.dataDir })]);

    first.child.kill("SIGSTOP");
    const done = await doneBy(task.id, second, "the other runner to take over and finish the task");
    const [before] = await db.select().from(attempts).where(eq(attempts.id, attempt.id));
    const lastSeq = (await harness.events(task.id)).at(-1)!.seq;

    // Awake again: its turn's codex is gone (the taker stopped it), its writes are refused, its lease is lost.
    first.child.kill("SIGCONT");
    expect(await first.exited).toBe(75);
    expect(first.output()).toMatch(/lost its lease to runner .*; standing down/);
    const late = await db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.taskId, task.id), gt(runEvents.seq, lastSeq)));
    expect(late).toEqual([]);
    const [after] = await db.select().from(attempts).where(eq(attempts.id, attempt.id));
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: "completed", runnerId: secondId });
    expect(await harness.task(task.id)).toMatchObject({ status: "done", branch: done.branch });
    expect(processesOf(attempt.id)).toEqual([]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
