import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { runEvents } from "../../db/schema";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import { managerTurnKey, runManagerTurn } from "../../worker-runner/manager/run-manager-turn";
import { makeGitRepo, seedRun } from "../support/factories";
import { describe, expect, it } from "vitest";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses, hasMarker } from "../../worker-runner/codex/process-table";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { commandLine, stillRunning } from "../support/processes";
import { ofType, TEST_MODEL, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 4's acceptance criteria 4, 5 and 6: what happens to the codex process
 * and its tool commands when a turn ends early, checked in the process table.
 */
const TURN_DEADLINE_MS = 6_000;
const harness = await useWorkerHarness();
const { model } = harness;

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

describe("the manager's turns, through the same driver", () => {
  it("a manager turn whose model hangs: the deadline ends it, its process group is killed, no process and no pid file is left", async () => {
    const run = await seedRun(harness.db, { status: "reviewing" });
    const runtime = harness.ctxWith({ turnTimeoutMs: TURN_DEADLINE_MS, interruptGraceMs: 1_000 }).runtime;
    const key = managerTurnKey(run.id);
    const turn = runManagerTurn({
      db: harness.db,
      runtime,
      runnerId: harness.runnerId,
      runId: run.id,
      threadId: null,
      cwd: makeGitRepo(SAMPLE_REPO_FILES),
      model: TEST_MODEL,
      prompt: `${marker("hanging-model")} Review this scope.`,
      outputSchema: { type: "object", properties: {}, additionalProperties: false },
    });
    // While it hangs: codex and its command run under the turn's marker, and the wrapper wrote codex's pid and group.
    const pidFile = path.join(runtime.stateDir, "pids", `${key}.json`);
    await until(() => processesOf(key).some((pid) => commandLine(pid).startsWith("sleep 300")) || null, "the manager's command");
    const recorded = JSON.parse(readFileSync(pidFile, "utf8")) as { pid: number; pgid: number };
    expect(hasMarker(recorded.pid, markerOf(key))).toBe(true);
    const during = processesOf(key);

    const result = await turn;
    expect(result.failure).toBe("The manager's turn was interrupted (deadline).");
    expect(stillRunning(during).filter((pid) => hasMarker(pid, markerOf(key)))).toEqual([]);
    expect(processesOf(key)).toEqual([]);
    expect(existsSync(pidFile)).toBe(false);
    const events = await harness.database.db.select({ type: runEvents.type }).from(runEvents).where(eq(runEvents.runId, run.id));
    expect(events.map((event) => event.type)).toContain("agent.turn_interrupted");
  });
});

describe("Codex worker processes", () => {
  it("a model that keeps failing while codex keeps reconnecting: the turn fails with 'The model cannot be reached' instead of retrying for ever", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "failing-model" });
    // Many retries (as Codex's own provider makes) and a short patience, so the guard, not the retries, ends the turn.
    const outcome = await runTaskAttempt(harness.ctxWith({ modelRetries: 20, modelUnreachableMs: 3_000 }), { taskId: task.id, attempt: 1 });
    expect(outcome.status).toBe("blocked");
    expect(outcome.reason).toMatch(/^The Codex turn failed: The model cannot be reached: Codex kept reconnecting for \d+ s \(last: .*Reconnecting/);
    const attempt = (await harness.attempt(task.id))!;
    expect(processesOf(attempt.id)).toEqual([]);
    expect(ofType(await harness.events(task.id), "agent.turn_failed").at(-1)?.message).toMatch(/^The model cannot be reached/);
  });

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
});

