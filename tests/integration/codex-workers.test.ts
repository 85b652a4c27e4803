import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { attempts, reports, tasks, verifications } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { PARALLEL_GO } from "../../e2e/scripted-model/scenarios/workers";
import { workerReportJsonSchema } from "../../lib/reports/worker-report";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { runTask } from "../../worker-runner/jobs/run-task";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { workQueues } from "../../worker-runner/work-queues";
import { gitOut, ofType, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 4's acceptance criteria 1, 2, 3, 7 and 8, each on the real codex
 * binary against the scripted model, in real git repositories and worktrees.
 */
const harness = await useWorkerHarness();
const { db, model } = harness;

const statusTrail = (events: Awaited<ReturnType<typeof harness.events>>) => ofType(events, "task.status_changed").map((event) => event.to);

describe("Codex workers", () => {
  it("an honest worker's apply_patch edit is verified by Foreman: the task is done, one Foreman commit holds the change, and the events show the command and the edit in order", async () => {
    const { task, repo } = await harness.seedWorkerTask({ scenario: "honest-worker" });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "done" });

    const row = await harness.task(task.id);
    expect(row).toMatchObject({ status: "done", changedFiles: ["greeting.txt"], holdReason: null });
    const branch = row.branch!;
    expect(branch).toBe(`foreman/${task.runId.slice(0, 8)}/T1`);
    // One commit on the branch, by Foreman, holding exactly the agent's edit.
    expect(gitOut(repo!, "log", "--format=%an <%ae>", `main..${branch}`).split("\n")).toEqual(["Foreman <foreman@localhost>"]);
    expect(gitOut(repo!, "diff", "--name-only", `main...${branch}`)).toBe("greeting.txt");
    expect(gitOut(repo!, "show", `${branch}:greeting.txt`)).toBe("hello, world");
    expect(gitOut(repo!, "show", "main:greeting.txt")).toBe("hello");

    const events = await harness.events(task.id);
    const trail = events.map((event) => {
      if (event.type === "agent.command_started" || event.type === "agent.command_finished") return `${event.type} ${event.command}`;
      if (event.type === "agent.file_changed") return `${event.type} ${event.changes.map((change) => `${change.kind} ${change.path}`).join()}`;
      if (event.type === "task.status_changed") return `${event.type} ${event.to}`;
      return event.type;
    });
    const order = [
      "task.status_changed running",
      "task.worktree_ready",
      "agent.thread_started",
      "agent.turn_started",
      "agent.reasoning",
      "agent.todo_list",
      "agent.command_started /bin/bash -lc 'cat greeting.txt'",
      "agent.command_finished /bin/bash -lc 'cat greeting.txt'",
      "agent.file_changed update greeting.txt",
      "agent.command_started /bin/bash -lc 'sh test.sh'",
      "agent.command_finished /bin/bash -lc 'sh test.sh'",
      "agent.message",
      "agent.turn_completed",
      "task.committed",
      "task.report",
      "task.status_changed verifying",
      "task.verification_finished",
      "task.status_changed done",
    ];
    const positions = order.map((entry) => trail.indexOf(entry));
    expect(positions.every((position) => position >= 0), `missing from ${JSON.stringify(trail, null, 1)}`).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const finished = ofType(events, "agent.command_finished");
    // The last line: a login shell on some machines prints its own noise first.
    expect(finished.map((event) => [event.exitCode, event.outputTail.trim().split("\n").at(-1)])).toEqual([
      [0, "hello"],
      [0, "ok: greeting.txt says hello, world"],
    ]);
    expect(ofType(events, "agent.todo_list")[0]!.items.map((item) => item.text)).toEqual(["Read greeting.txt", "Fix the greeting", "Run sh test.sh"]);
    // Five model responses in one turn: the thread's usage, stored per turn and on the attempt.
    const [turn] = ofType(events, "agent.turn_completed");
    expect(turn!.usage).toEqual({ input: 5000, cachedInput: 1000, output: 250, reasoningOutput: 50 });
    const [attempt] = await db.select().from(attempts).where(eq(attempts.taskId, task.id));
    expect(attempt).toMatchObject({ status: "completed", tokensInput: 5000, tokensCachedInput: 1000, tokensOutput: 250, pid: null, pgid: null });
    expect(attempt!.threadId).toBe(ofType(events, "agent.thread_started")[0]!.threadId);

    const [verification] = await db.select().from(verifications).where(eq(verifications.taskId, task.id));
    expect(verification).toMatchObject({ status: "passed", changedFiles: ["greeting.txt"], outOfScope: [] });
    expect(verification!.commands).toMatchObject([{ command: "sh test.sh", source: "task", exitCode: 0, timedOut: false }]);
    const stored = await db.select().from(reports).where(eq(reports.taskId, task.id)).orderBy(asc(reports.createdAt));
    expect(stored.map((report) => [report.kind, report.valid])).toEqual([
      ["worker_report", true],
      ["handoff_diff", true],
    ]);
    expect(stored[1]!.raw).toContain("+hello, world");

    // The model was asked for the WorkerReport with the strict schema on every request.
    const requests = model.requestsFor("honest-worker");
    expect(requests).toHaveLength(5);
    for (const request of requests) {
      expect((request.body!.text as { format: unknown }).format).toEqual({ type: "json_schema", strict: true, schema: workerReportJsonSchema, name: "codex_output_schema" });
    }
    // Done work leaves no worktree behind; the branch is the handoff.
    expect(existsSync(attempt!.worktreePath!)).toBe(false);
  });

  it("a lying worker that reports done without changing anything is never done: Foreman's verification fails, follow-ups run on the same thread, then the task is blocked with the failing output", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "lying-worker", settings: { followUpCap: 2 } });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "blocked" });

    const row = await harness.task(task.id);
    expect(row.status).toBe("blocked");
    expect(row.followUps).toBe(2);
    expect(row.holdReason).toContain("Verification still fails after 2 follow-up turn(s)");
    expect(row.holdReason).toContain("FAIL: greeting.txt should say 'hello, world' but says 'hello'");

    const events = await harness.events(task.id);
    expect(statusTrail(events)).toEqual(["running", "verifying", "running", "verifying", "running", "verifying", "blocked"]);
    expect(ofType(events, "task.report").every((event) => event.valid && event.status === "done")).toBe(true);
    expect(ofType(events, "task.verification_finished").map((event) => event.passed)).toEqual([false, false, false]);
    expect(ofType(events, "agent.turn_started").map((event) => event.purpose)).toEqual(["work", "follow_up", "follow_up"]);

    // One thread throughout: each follow-up resumed it, and the model saw the earlier turns again.
    const started = ofType(events, "agent.thread_started");
    expect(new Set(started.map((event) => event.threadId)).size).toBe(1);
    expect(started.map((event) => event.resumed)).toEqual([false, true, true]);
    const requests = model.requestsFor("lying-worker");
    expect(new Set(requests.map((request) => request.threadId)).size).toBe(1);
    const last = requests.at(-1)!;
    expect(last.position!.prompts).toHaveLength(3);
    expect(last.position!.prompts[1]).toContain("Foreman's verification of your last turn failed (follow-up 1 of 2)");
    expect(last.position!.prompts[1]).toContain("FAIL: greeting.txt should say");
    const history = JSON.stringify(last.body!.input);
    expect(history).toContain('{\\"cmd\\":\\"ls\\"}');

    const checks = await db.select().from(verifications).where(eq(verifications.taskId, task.id));
    expect(checks.map((check) => check.status)).toEqual(["failed", "failed", "failed"]);
    expect(checks[0]!.commands[0]).toMatchObject({ command: "sh test.sh", exitCode: 1 });
  });

  it("a worker that edits a file outside its declared scope is flagged on the task, in Foreman's verification report and as an event", async () => {
    const { task, repo } = await harness.seedWorkerTask({ scenario: "out-of-scope-worker", scope: ["greeting.txt", "src/**"] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "needs_review" });

    const row = await harness.task(task.id);
    expect(row.status).toBe("needs_review");
    expect(row.changedFiles).toEqual(["docs/notes.md", "greeting.txt"]);
    expect(row.holdReason).toBe("Changed files outside its declared scope (docs/notes.md): a human must accept the wider scope.");
    const [verification] = await db.select().from(verifications).where(eq(verifications.taskId, task.id));
    expect(verification).toMatchObject({ status: "passed", outOfScope: ["docs/notes.md"] });
    expect(verification!.summary).toContain("changed outside its scope: docs/notes.md");
    const events = await harness.events(task.id);
    expect(ofType(events, "task.out_of_scope")).toMatchObject([{ files: ["docs/notes.md"], scope: ["greeting.txt", "src/**"] }]);
    expect(statusTrail(events).at(-1)).toBe("needs_review");
    // The work is kept on the branch for the reviewer.
    expect(gitOut(repo!, "diff", "--name-only", `main...${row.branch}`).split("\n")).toEqual(["docs/notes.md", "greeting.txt"]);
  });

  it("invalid JSON from the model is stored raw, asked for once more in the same thread, then the task is blocked with a readable reason", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "invalid-json" });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "blocked" });

    const stored = await db.select().from(reports).where(eq(reports.taskId, task.id)).orderBy(asc(reports.createdAt));
    expect(stored.map((report) => ({ kind: report.kind, valid: report.valid, payload: report.payload, raw: report.raw }))).toEqual([
      { kind: "worker_report", valid: false, payload: null, raw: "All done! {status: done, summary: 'fixed' " },
      { kind: "worker_report", valid: false, payload: null, raw: "Sure — here it is: status=done" },
    ]);
    expect(stored[0]!.error).toMatch(/^The answer is not valid JSON/);

    const requests = model.requestsFor("invalid-json");
    expect(new Set(requests.map((request) => request.threadId)).size).toBe(1);
    expect(requests.at(-1)!.position!.prompts[1]).toMatch(/^Your last answer was not a valid WorkerReport: The answer is not valid JSON/);

    const row = await harness.task(task.id);
    expect(row.status).toBe("blocked");
    expect(row.holdReason).toMatch(/^The worker did not return a valid WorkerReport, even when asked again: The answer is not valid JSON \(.+\)\. The raw answers are kept/);
    const attempt = await harness.attempt(task.id);
    expect(attempt).toMatchObject({ status: "failed", exitReason: row.holdReason });
    const events = await harness.events(task.id);
    expect(ofType(events, "agent.turn_started").map((event) => event.purpose)).toEqual(["work", "report_retry"]);
    expect(statusTrail(events)).toEqual(["running", "blocked"]);
  });

  it("Codex's bounded retries ride out one HTTP 500 from the model, and a model that keeps failing blocks the task with Codex's own message", async () => {
    const retrying = harness.ctxWith({ modelRetries: 1 });
    const flaky = await harness.seedWorkerTask({ scenario: "flaky-model" });
    expect(await runTaskAttempt(retrying, { taskId: flaky.task.id, attempt: 1 })).toMatchObject({ status: "done" });
    expect(model.requestsFor("flaky-model").map((request) => request.outcome)).toEqual(["http500", "answered", "answered"]);

    const failing = await harness.seedWorkerTask({ scenario: "failing-model" });
    const outcome = await runTaskAttempt(retrying, { taskId: failing.task.id, attempt: 1 });
    expect(outcome).toMatchObject({ status: "blocked" });
    const faults = model.requestsFor("failing-model").map((request) => request.outcome);
    // request and stream retries multiply: (1 + 1) × (1 + 1) requests, each a fault, then Codex gives up.
    expect(faults).toEqual(["http500", "http429", "cut", "http500"]);
    const row = await harness.task(failing.task.id);
    expect(row.holdReason).toMatch(/^The Codex turn failed: /);
    expect(await harness.attempt(failing.task.id)).toMatchObject({ status: "failed", exitReason: row.holdReason });
    expect(ofType(await harness.events(failing.task.id), "agent.turn_failed")).toHaveLength(1);
  });

  describe("through the runner's task.run queue", () => {
    let boss: PgBoss;
    afterAll(async () => {
      await boss?.stop({ graceful: false, close: true });
    });

    it("four workers run at once, each in its own worktree and thread, each with its own CODEX_HOME", async () => {
      boss = createBoss(harness.database.url, "runner");
      boss.on("error", () => {});
      await boss.start();
      await workQueues(boss, { db, boss, runnerId: harness.runnerId, signal: new AbortController().signal, agents: harness.runtime }, [runTask]);

      const spec = { scenario: "parallel-worker", scope: ["owner.txt", "together.txt"], commands: ["test -s owner.txt"], currentAttempt: 0 };
      const first = await harness.seedWorkerTask({ ...spec, key: "T1" });
      const rest = await Promise.all(["T2", "T3", "T4"].map((key) => harness.seedWorkerTask({ ...spec, key, runId: first.runId })));
      const all = [first.task, ...rest.map((seeded) => seeded.task)];
      for (const task of all) await startTaskAttempt(db, boss, task.id);

      // Once every worker's command runs, each is told how many run together (through its own worktree).
      await until(async () => {
        const started = await Promise.all(all.map(async (task) => ofType(await harness.events(task.id), "agent.command_started").length > 0));
        return started.every(Boolean);
      }, "four commands started", 90_000);
      const live = await db.select({ worktree: attempts.worktreePath }).from(attempts).where(eq(attempts.runId, first.runId));
      for (const { worktree } of live) writeFileSync(path.join(worktree!, PARALLEL_GO), String(live.length));

      await until(async () => {
        const rows = await db.select({ status: tasks.status }).from(tasks).where(eq(tasks.runId, first.runId));
        return rows.every((row) => row.status === "done" || row.status === "blocked" || row.status === "needs_review");
      }, "four tasks finished", 90_000);
      const finished = await db.select({ key: tasks.key, status: tasks.status, holdReason: tasks.holdReason }).from(tasks).where(eq(tasks.runId, first.runId));
      expect(finished.filter((row) => row.status !== "done")).toEqual([]);

      const runAttempts = await db.select().from(attempts).where(eq(attempts.runId, first.runId));
      expect(runAttempts).toHaveLength(4);
      expect(new Set(runAttempts.map((attempt) => attempt.worktreePath)).size).toBe(4);
      expect(new Set(runAttempts.map((attempt) => attempt.branch)).size).toBe(4);
      const threads = runAttempts.map((attempt) => attempt.threadId!);
      expect(new Set(threads).size).toBe(4);

      // They overlapped: every worker's command started before any of them finished (each waited for
      // the go the test gave once all four ran), and each was told four.
      const windows = await Promise.all(
        all.map(async (task) => {
          const events = await harness.events(task.id);
          const started = ofType(events, "agent.command_started")[0]!;
          const finished = ofType(events, "agent.command_finished")[0]!;
          return { started: started.seq, finished: finished.seq };
        }),
      );
      expect(Math.max(...windows.map((window) => window.started))).toBeLessThan(Math.min(...windows.map((window) => window.finished)));

      // Each worktree is the runner's own (under the data directory), and each branch holds
      // what its own worker wrote there, under its own thread.
      for (const attempt of runAttempts) {
        expect(path.dirname(path.dirname(attempt.worktreePath!))).toBe(path.join(harness.dataDir, "worktrees"));
        expect(gitOut(first.repo!, "show", `${attempt.branch}:owner.txt`).split("\n")).toEqual([attempt.worktreePath, attempt.threadId]);
        expect(gitOut(first.repo!, "show", `${attempt.branch}:together.txt`)).toBe("4");
      }
      // One CODEX_HOME per task, one session file per thread in it.
      const sessions = runAttempts.flatMap((attempt) => listFiles(path.join(harness.runtime.codexHomes, `task-${attempt.taskId}`, "sessions")));
      for (const thread of threads) expect(sessions.filter((file) => file.includes(thread))).toHaveLength(1);
      for (const file of sessions.filter((name) => threads.some((thread) => name.includes(thread)))) {
        const own = threads.filter((thread) => readFileSync(file, "utf8").includes(thread));
        expect(own).toHaveLength(1);
      }
    }, 180_000);
  });
});

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
