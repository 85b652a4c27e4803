import { readFileSync } from "node:fs";
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { attempts, runners } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses, hasMarker, stopMarkedProcesses } from "../../worker-runner/codex/process-table";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { commandLine, stillRunning } from "../support/processes";
import { ofType, TEST_MODEL, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 4's acceptance criteria 4, 5 and 6: what happens to the codex process
 * and its tool commands when a turn ends early, checked in the process table.
 */
const TURN_DEADLINE_MS = 6_000;
const harness = await useWorkerHarness();
const { db, model } = harness;
const root = path.resolve(import.meta.dirname, "../..");

const markerOf = (attemptId: string) => `${ATTEMPT_MARKER}=${attemptId}`;
const processesOf = (attemptId: string) => findMarkedProcesses(markerOf(attemptId));
const describeProcesses = (pids: number[]) => pids.map((pid) => `${pid} ${commandLine(pid)}`).join("\n");
/**
 * Which of `pids` still run as the attempt's processes. The marker check matters: pids wrap
 * around quickly on a busy machine (pid_max may be 32768), so a bare pid may be someone else's by now.
 */
const stillOurs = (pids: number[], attemptId: string) => stillRunning(pids).filter((pid) => hasMarker(pid, markerOf(attemptId)));

async function runningCommand(taskId: string, command: string) {
  return until(async () => {
    const events = await harness.events(taskId);
    return ofType(events, "agent.command_started").find((event) => event.command.includes(command));
  }, `the worker to run ${command}`);
}

/** The process group of a live process, from /proc/<pid>/stat. */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

describe("Codex worker processes", () => {
  it("a model that hangs before sending headers: the runner's turn deadline ends the attempt, codex and its tool processes are gone, and the attempt says why", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "hanging-model" });
    const started = Date.now();
    const outcome = runTaskAttempt(harness.ctxWith({ turnTimeoutMs: TURN_DEADLINE_MS }), { taskId: task.id, attempt: 1 });

    await runningCommand(task.id, "sleep 300");
    await until(() => model.requestsFor("hanging-model").some((request) => request.outcome === "hang"), "the hanging model request");
    const attempt = (await harness.attempt(task.id))!;
    // While it hangs: codex is recorded on the attempt (inside its sandbox, whose process group is
    // the one recorded), and the tool command runs on.
    expect(attempt.pid).toBeGreaterThan(0);
    expect(attempt.pgid).toBe(processGroup(attempt.pid!));
    const during = processesOf(attempt.id);
    expect(during).toContain(attempt.pid);
    expect(describeProcesses(during)).toContain("sleep 300");

    expect(await outcome).toMatchObject({ status: "interrupted" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TURN_DEADLINE_MS);
    expect(stillOurs(during, attempt.id), describeProcesses(stillOurs(during, attempt.id))).toEqual([]);
    expect(processesOf(attempt.id)).toEqual([]);

    const ended = (await harness.attempt(task.id))!;
    expect(ended).toMatchObject({ status: "interrupted", pid: null, pgid: null });
    expect(ended.exitReason).toBe(
      "The turn ran past the runner's 6 s turn deadline (a model that never answers is not timed out by Codex); Foreman interrupted it and stopped its processes.",
    );
    const row = await harness.task(task.id);
    expect(row).toMatchObject({ status: "blocked", holdReason: ended.exitReason });
    const events = await harness.events(task.id);
    expect(ofType(events, "agent.turn_interrupted")).toMatchObject([{ reason: "deadline", turn: 1 }]);
  });

  it("interrupting a worker in the middle of a long shell command leaves no process behind, and resuming continues the same thread with its history", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "long-command" });
    const first = runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    await runningCommand(task.id, "sleep 300");
    const attempt = (await harness.attempt(task.id))!;
    const during = await until(() => {
      const pids = processesOf(attempt.id);
      return describeProcesses(pids).includes("sleep 300") ? pids : null;
    }, "the sleep in the process table");

    expect(harness.runtime.turns.interrupt(attempt.id, "paused")).toBe(true);
    expect(await first).toMatchObject({ status: "interrupted" });
    expect(stillOurs(during, attempt.id), describeProcesses(stillOurs(during, attempt.id))).toEqual([]);
    expect(processesOf(attempt.id)).toEqual([]);
    expect(await harness.attempt(task.id)).toMatchObject({ status: "interrupted", pid: null });
    // Paused, not failed: the card stays in Running until the thread resumes.
    expect((await harness.task(task.id)).status).toBe("running");

    const resumed = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1, resume: true });
    expect(resumed).toMatchObject({ status: "done" });
    const events = await harness.events(task.id);
    const threads = ofType(events, "agent.thread_started");
    expect(threads.map((event) => event.resumed)).toEqual([false, true]);
    expect(threads[1]!.threadId).toBe(threads[0]!.threadId);
    expect(ofType(events, "agent.turn_started").map((event) => [event.turn, event.purpose])).toEqual([
      [1, "work"],
      [2, "resume"],
    ]);
    // The model got the first turn back: the goal, the interrupted command, then the resume prompt.
    const requests = model.requestsFor("long-command");
    expect(new Set(requests.map((request) => request.threadId)).size).toBe(1);
    const resumedRequest = requests.find((request) => request.position!.turn === 1)!;
    expect(resumedRequest.position!.prompts[0]).toContain("[scenario:long-command]");
    expect(resumedRequest.position!.prompts[1]).toMatch(/^Your previous turn was interrupted \(Paused:/);
    const history = resumedRequest.body!.input as { type: string; name?: string; arguments?: string }[];
    expect(history.some((item) => item.type === "function_call" && item.arguments?.includes("sleep 300"))).toBe(true);
    expect((await harness.attempt(task.id))!.status).toBe("completed");
  });

  describe("a runner process", () => {
    const children: ChildProcess[] = [];
    const attemptIds: string[] = [];
    let boss: PgBoss;
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      // Should the test fail half-way, the agent processes it orphaned on purpose must not outlive it.
      for (const attemptId of attemptIds) await stopMarkedProcesses(markerOf(attemptId), { graceMs: 0 });
      await boss?.stop({ graceful: false, close: true });
    });

    function startRunner() {
      const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "worker-runner/main.ts"], {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: os.homedir(),
          NODE_ENV: "test",
          DATABASE_URL: harness.database.url,
          FOREMAN_DATA_DIR: harness.dataDir,
          FOREMAN_MODEL_BASE_URL: model.baseUrl,
          FOREMAN_MODEL: TEST_MODEL,
          FOREMAN_MAX_WORKERS: "1",
          FOREMAN_SECRET: "s".repeat(40),
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      return { child, output: () => output, exited };
    }

    it("killed with SIGKILL mid-task leaves orphans that the next runner kills on start, marking the attempt interrupted", async () => {
      boss = createBoss(harness.database.url, "web");
      await boss.start();
      const { task } = await harness.seedWorkerTask({ scenario: "busy-worker", currentAttempt: 0 });

      const first = startRunner();
      await until(() => first.output().includes("working"), `the first runner to start:\n${first.output()}`, 60_000);
      await startTaskAttempt(db, boss, task.id);
      await runningCommand(task.id, "sleep 300");
      const attempt = (await harness.attempt(task.id))!;
      attemptIds.push(attempt.id);
      expect(attempt.pid).toBeGreaterThan(0);
      const orphans = await until(() => {
        const pids = processesOf(attempt.id);
        return describeProcesses(pids).includes("sleep 300") ? pids : null;
      }, "the agent's processes");

      first.child.kill("SIGKILL");
      await first.exited;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Nothing stops them: the codex process and its command outlive the runner.
      const vital = [attempt.pid!, ...orphans.filter((pid) => commandLine(pid).startsWith("sleep 300"))];
      expect(vital).toHaveLength(2);
      expect(stillOurs(vital, attempt.id)).toEqual(vital);
      expect((await harness.attempt(task.id))!.status).toBe("running");

      const second = startRunner();
      const recovered = await until(async () => {
        const row = (await harness.attempt(task.id))!;
        return row.status === "interrupted" ? row : null;
      }, `the second runner to recover the attempt:\n${second.output()}`, 60_000);
      expect(stillOurs(orphans, attempt.id), describeProcesses(stillOurs(orphans, attempt.id))).toEqual([]);
      expect(processesOf(attempt.id)).toEqual([]);

      const [dead] = await db.select().from(runners).where(eq(runners.id, attempt.runnerId!));
      expect(dead!.pid).toBe(first.child.pid);
      expect(recovered.exitReason).toMatch(new RegExp(`^Runner ${escape(attempt.runnerId!)} stopped while attempt 1 was running .*; Foreman stopped \\d+ leftover agent process\\(es\\)`));
      expect(await harness.task(task.id)).toMatchObject({ status: "blocked", holdReason: recovered.exitReason });
      const events = await harness.events(task.id);
      expect(ofType(events, "attempt.status_changed").at(-1)).toMatchObject({ from: "running", to: "interrupted" });
      expect(second.output()).toContain(recovered.exitReason!);

      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);
      const [row] = await db.select({ status: attempts.status }).from(attempts).where(eq(attempts.id, attempt.id));
      expect(row!.status).toBe("interrupted");
    });
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
