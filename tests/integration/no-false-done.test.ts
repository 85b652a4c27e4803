import { asc, eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, heartbeats, reports, verifications } from "../../db/schema";
import { SAMPLE_NODE_TEST_COMMAND, SAMPLE_REPO_WITH_TESTS, SAMPLE_TEST_COMMAND } from "../../e2e/scripted-model/sample-repo";
import { createBoss } from "../../lib/jobs/boss";
import { getTaskDetail } from "../../lib/tasks/get-task-detail";
import { retryTask } from "../../lib/tasks/retry-task";
import { getRunSnapshot } from "../../lib/runs/get-snapshot";
import { listenForControl } from "../../worker-runner/control";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses } from "../../worker-runner/codex/process-table";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { ofType, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 12: no false done. Hostile scripted workers on the real codex binary,
 * in real git worktrees: each tries to get "done" without the work, and none
 * may; the honest ones must still be done with no human step.
 */
const harness = await useWorkerHarness();
const { db } = harness;

const verificationsOf = (taskId: string) => db.select().from(verifications).where(eq(verifications.taskId, taskId)).orderBy(asc(verifications.startedAt));

describe("checks are not the worker's to change", () => {
  it("a worker that deletes the failing assertion from a test file in its scope is not done: the reason names the file, the line and the assertion, and the start-version test fails", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "test-weakener", files: SAMPLE_REPO_WITH_TESTS, scope: ["greeting.txt", "tests/**"], commands: [SAMPLE_NODE_TEST_COMMAND] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "needs_review" });

    const row = await harness.task(task.id);
    expect(row.status).toBe("needs_review");
    expect(row.holdReason).toContain('tests/greeting.test.js:7 removed or changed assertion: assert.strictEqual(greeting, "hello, world");');
    const [verification] = await verificationsOf(task.id);
    // The branch's own test passes (the assertion is gone); the test as it was at the start fails.
    expect(verification!.commands.map((command) => command.exitCode)).toEqual([0]);
    expect(verification!.startChecks!.map((command) => [command.command, command.exitCode])).toEqual([[SAMPLE_NODE_TEST_COMMAND, 1]]);
    expect(verification!.status).toBe("failed");
    expect(verification!.weakening).toEqual([{ file: "tests/greeting.test.js", kind: "removed_assertion", line: 7, text: 'removed or changed assertion: assert.strictEqual(greeting, "hello, world");' }]);
    const events = await harness.events(task.id);
    expect(ofType(events, "task.checks_weakened")).toMatchObject([{ verificationId: verification!.id, findings: [{ file: "tests/greeting.test.js", kind: "removed_assertion", line: 7 }] }]);
    expect(ofType(events, "task.status_changed").map((event) => event.to)).not.toContain("done");
    // The worker claimed done once; Foreman verified nothing.
    expect((await getRunSnapshot(db, task.runId)).run.honesty).toEqual({ claimed: 1, verified: 0 });
  });

  it("a worker that deletes a test file is not done, even when its real change passes: the reason names the deleted file", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "test-deleter", files: SAMPLE_REPO_WITH_TESTS, scope: ["greeting.txt", "tests/**"], commands: [SAMPLE_TEST_COMMAND] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "needs_review" });
    const row = await harness.task(task.id);
    expect(row.holdReason).toContain("tests/greeting.test.js deleted (a test file (tests/**))");
    const [verification] = await verificationsOf(task.id);
    expect(verification!.weakening).toMatchObject([{ file: "tests/greeting.test.js", kind: "deleted_check" }]);
    expect(verification!.checkFiles).toEqual(["test.sh", "tests/greeting.test.js"]);
  });

  it("a worker that adds a skip marker to the failing test is not done: the reason names the file, the line and the marker, and the start-version test fails", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "skip-adder", files: SAMPLE_REPO_WITH_TESTS, scope: ["greeting.txt", "tests/**"], commands: [SAMPLE_NODE_TEST_COMMAND] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "needs_review" });
    const row = await harness.task(task.id);
    expect(row.holdReason).toContain('tests/greeting.test.js:5 added a skip marker: test.skip("the greeting says hello, world", () => {');
    const [verification] = await verificationsOf(task.id);
    expect(verification!.commands[0]!.exitCode).toBe(0);
    expect(verification!.startChecks![0]!.exitCode).toBe(1);
    expect(verification!.status).toBe("failed");
  });

  it("a worker that edits the script the repository's verifyCommand runs is not done, and its tampered pass does not count: the start-version script fails and the verification is recorded failed", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "verifier-tamperer", files: SAMPLE_REPO_WITH_TESTS, commands: [], verifyCommand: SAMPLE_TEST_COMMAND });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "needs_review" });

    const row = await harness.task(task.id);
    expect(row.holdReason).toContain("test.sh:2 edited (run by `sh test.sh`); added: exit 0");
    expect(row.holdReason).toContain("The checks as they were at the task's start fail against the worker's code: sh test.sh (exit 1)");
    const [verification] = await verificationsOf(task.id);
    expect(verification!.status).toBe("failed");
    expect(verification!.commands).toMatchObject([{ command: SAMPLE_TEST_COMMAND, source: "repository", exitCode: 0 }]);
    expect(verification!.startChecks).toMatchObject([{ command: SAMPLE_TEST_COMMAND, source: "repository", exitCode: 1 }]);
    expect(verification!.startChecks![0]!.outputTail).toContain("FAIL: greeting.txt should say 'hello, world' but says 'hello'");
    expect(verification!.outOfScope).toEqual(["test.sh"]);
    const [finished] = ofType(await harness.events(task.id), "task.verification_finished");
    expect(finished).toMatchObject({ passed: false, startChecksPassed: false });
  });
});

describe("claims against truth", () => {
  it("a report that lies about its files and test results over real, passing work is recorded as disputed: an event, the task's field in the API snapshot and the task detail", async () => {
    const { task, runId } = await harness.seedWorkerTask({ scenario: "claims-liar", files: SAMPLE_REPO_WITH_TESTS, commands: [SAMPLE_TEST_COMMAND, SAMPLE_NODE_TEST_COMMAND] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    // The work itself is real and verified.
    expect(outcome, outcome.reason).toMatchObject({ status: "done" });

    const expected = [
      "The worker says `node tests/greeting.test.js` failed; Foreman ran it and it passed.",
      "Claimed as changed but unchanged on the branch: README.md, src/greeting.js.",
      "Changed on the branch but not in the worker's report: greeting.txt.",
    ];
    const [disputed] = ofType(await harness.events(task.id), "task.claims_disputed");
    expect(disputed!.disagreements.map((entry) => entry.text)).toEqual(expected);
    const [verification] = await verificationsOf(task.id);
    expect(verification!.disputes.map((entry) => entry.text)).toEqual(expected);

    const snapshot = await getRunSnapshot(db, runId);
    expect(snapshot.tasks.find((entry) => entry.id === task.id)?.disputedClaims).toEqual(expected);
    const detail = await getTaskDetail(db, task.id);
    expect(detail.task.disputedClaims).toEqual(expected);
    expect(detail.verifications[0]!.disputes.map((entry) => entry.text)).toEqual(expected);
    // The honesty figure: one done claim, and Foreman verified it.
    expect(snapshot.run.honesty).toEqual({ claimed: 1, verified: 1 });
  });
});

describe("review by kind", () => {
  it("a docs task gets the manager's review, stored before it waits for a human, and its verdict is on the card", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "docs-worker", kind: "docs", scope: ["docs/**"], commands: [], title: "Document the greeting" });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "needs_review" });

    const [review] = await db.select().from(reports).where(eq(reports.kind, "manager_task_review"));
    expect(review).toMatchObject({ taskId: task.id, valid: true, payload: { verdict: "approve", sourcesChecked: ["greeting.txt", "docs/notes.md"] } });
    const events = await harness.events(task.id);
    const reviewed = events.findIndex((event) => event.type === "task.manager_review");
    const waiting = events.findIndex((event) => event.type === "task.status_changed" && event.to === "needs_review");
    expect(reviewed).toBeGreaterThan(-1);
    expect(reviewed).toBeLessThan(waiting);
    expect(events[reviewed]).toMatchObject({ verdict: "approve", editorialIssues: 1 });
    const row = await harness.task(task.id);
    expect(row.holdReason).toContain("A docs task, reviewed by the manager: approve. The note matches greeting.txt and reads clearly.");
    // The review thread read the worker's branch, read-only, with the review prompt.
    const asked = harness.model.requestsFor("docs-worker").filter((request) => request.position!.prompts[0]!.startsWith("Review the work of task T1"));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]!.position!.prompts[0]).toContain("+The greeting says hello, world once T1 lands.");
  });
});

describe("the honest path raises no alarm", () => {
  it("an honest worker on a repository with tests is done with no human step, no weakening and no dispute", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "honest-worker", files: SAMPLE_REPO_WITH_TESTS, commands: [SAMPLE_TEST_COMMAND, SAMPLE_NODE_TEST_COMMAND], verifyCommand: SAMPLE_TEST_COMMAND });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "done" });
    const [verification] = await verificationsOf(task.id);
    expect(verification).toMatchObject({ status: "passed", weakening: [], startChecks: null, checkFiles: ["test.sh", "tests/greeting.test.js"] });
    // The report left out the node test it did not run: Foreman ran it, which is no dispute.
    expect(verification!.disputes).toEqual([]);
    const events = await harness.events(task.id);
    expect(ofType(events, "task.checks_weakened")).toEqual([]);
    expect(ofType(events, "task.claims_disputed")).toEqual([]);
  });

  it("a tests task that only adds tests is done with no human step: the start-version checks run and pass, nothing is named", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "tests-adder", kind: "tests", files: SAMPLE_REPO_WITH_TESTS, scope: ["tests/**"], commands: ["node tests/greeting-file.test.js"] });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "done" });
    const [verification] = await verificationsOf(task.id);
    expect(verification).toMatchObject({ status: "passed", weakening: [], disputes: [] });
    // It touched an existing test file, so the checks ran again in their start version.
    expect(verification!.startChecks).toMatchObject([{ command: "node tests/greeting-file.test.js", exitCode: 0 }]);
  });
});

describe("bounded effort", () => {
  // Codex's own idle timeout would turn a silence after the headers into a failed turn; the runner's stall handling is under test.
  const silentCtx = harness.ctxWith({ streamIdleTimeoutMs: 600_000, turnTimeoutMs: 600_000 });
  let boss: PgBoss;
  let control: { close(): Promise<unknown> };
  beforeAll(async () => {
    boss = createBoss(harness.database.url, "web");
    await boss.start();
    control = await listenForControl({ db, sql: harness.database.sql, runtime: silentCtx.runtime, log: () => {} });
  });
  afterAll(async () => {
    silentCtx.runtime.turns.close("runner_stopping");
    await control.close();
    await boss.stop({ graceful: false, close: true });
  });

  /** Plays the heartbeat on a silent worker until the task leaves `running`; every attempt is interrupted and leaves no process. */
  async function silenceUntilBlocked(scenario: string, ctx: typeof harness.ctx) {
    const { task, runId } = await harness.seedWorkerTask({ scenario, currentAttempt: 1, settings: { stallTimeoutMinutes: 1 } });
    let payload: { taskId: string; attempt: number; replaces?: number } = { taskId: task.id, attempt: 1 };
    for (let silences = 1; ; silences++) {
      const working = runTaskAttempt(ctx, payload);

      const fault = scenario === "silent-before-headers" ? "hang" : "mute";
      await until(() => harness.model.requestsFor(scenario).filter((request) => request.outcome === fault).length >= silences || null, `silence ${silences}`, 60_000);
      const [silent] = await db.select().from(attempts).where(eq(attempts.taskId, task.id)).orderBy(asc(attempts.number)).then((rows) => rows.filter((row) => row.number === payload.attempt));
      expect(silent!.status).toBe("running");
      // The model really is silent; instead of waiting out the stall timeout, the attempt's last event is dated back —
      // once the runner has recorded the turn's start (on a busy machine it may still be writing it, and would date it forward again).
      await until(async () => ofType(await harness.events(task.id), "agent.turn_started").some((event) => event.attempt === payload.attempt) || null, `turn of attempt ${payload.attempt} recorded`, 60_000);
      await db.update(attempts).set({ lastActivityAt: new Date(Date.now() - 2 * 60_000) }).where(eq(attempts.id, silent!.id));
      await runHeartbeat.handle({ db, boss, runnerId: "heartbeat-runner", signal: new AbortController().signal }, { runId, trigger: "schedule" }, { id: "hb", retryCount: 0 });
      expect(await working).toMatchObject({ status: "interrupted" });
      expect(findMarkedProcesses(`${ATTEMPT_MARKER}=${silent!.id}`)).toEqual([]);
      const jobs = await boss.findJobs<{ taskId: string; attempt: number; replaces?: number }>("task.run", { data: { taskId: task.id } });
      const next = jobs.map((job) => job.data).find((data) => data.attempt === payload.attempt + 1);
      if (!next) return { task, runId, silences };
      payload = next;
    }
  }

  it.each([
    ["before", "silent-before-headers"],
    ["after", "silent-after-headers"],
  ])("a worker whose model goes silent %s the response headers is replaced up to the cap, then blocked with how often it went silent, with no process left", { timeout: 180_000 }, async (_when, scenario) => {
    const { task, runId, silences } = await silenceUntilBlocked(scenario, silentCtx);
    expect(silences).toBe(3);
    const row = await harness.task(task.id);
    expect(row).toMatchObject({ status: "blocked", stalls: 3 });
    expect(row.holdReason).toMatch(/^The model went silent 3 times \(stall replacements capped at 2\)/);
    const rows = await db.select().from(attempts).where(eq(attempts.taskId, task.id)).orderBy(asc(attempts.number));
    expect(rows.map((attempt) => [attempt.number, attempt.status])).toEqual([
      [1, "interrupted"],
      [2, "interrupted"],
      [3, "interrupted"],
    ]);
    for (const attempt of rows) expect(findMarkedProcesses(`${ATTEMPT_MARKER}=${attempt.id}`)).toEqual([]);
    const beats = await db.select().from(heartbeats).where(eq(heartbeats.runId, runId)).orderBy(asc(heartbeats.startedAt));
    expect(beats.map((beat) => beat.decisions.map((decision) => decision.action))).toEqual([["replace_stalled_attempt"], ["replace_stalled_attempt"], ["block_stalled_task"]]);
  });

  it("a task over its token cap is blocked before its next turn, with the reason; a human's retry gives it a fresh budget", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "lying-worker", settings: { taskTokenCap: 1500, followUpCap: 5 } });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    expect(outcome, outcome.reason).toMatchObject({ status: "blocked" });
    const row = await harness.task(task.id);
    expect(row.holdReason).toMatch(/^The task used \d+ model tokens, over its cap of 1500/);
    // One turn ran (two model requests of 1050 tokens each), then no more.
    expect(ofType(await harness.events(task.id), "agent.turn_started")).toHaveLength(1);

    const { attempt } = await retryTask(db, boss, task.id, null);
    expect(attempt).toBe(2);
    expect(await harness.task(task.id)).toMatchObject({ status: "ready", budgetFromAttempt: 2, stalls: 0 });
    const again = await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 2 });
    expect(again.status).toBe("blocked");
    // The retried attempt ran its own turn before reaching the cap again.
    expect(ofType(await harness.events(task.id), "agent.turn_started").map((event) => event.attempt)).toEqual([1, 2]);
  });
});
