import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { heartbeats, runEvents, runs, tasks } from "../../db/schema";
import { AppError } from "../../lib/errors/app-error";
import { readJson } from "../../lib/http/route";
import { createRepository } from "../../lib/repositories/create-repository";
import { listRepositories } from "../../lib/repositories/list-repositories";
import { createRepositoryInput } from "../../lib/repositories/schema";
import { createRun } from "../../lib/runs/create-run";
import { getRunSnapshot } from "../../lib/runs/get-snapshot";
import { requestHeartbeat } from "../../lib/runs/request-heartbeat";
import { transitionRun } from "../../lib/runs/transition-run";
import { transitionTask } from "../../lib/tasks/transition-task";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { useBoss } from "../support/boss";
import { useTestDatabase } from "../support/db";
import { defaultRunSettings } from "../../lib/runs/settings";
import { makeGitRepo, seedAttempt, seedRepository, seedRun, seedTask } from "../support/factories";

const SECRET = "s".repeat(40);
const database = await useTestDatabase();
const { db } = database;
const boss = await useBoss(database.url);

const eventsOf = async (runId: string) =>
  db.select({ type: runEvents.type, payload: runEvents.payload }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(runEvents.seq);

const ctx = () => ({ db, boss, runnerId: "test-runner", signal: new AbortController().signal });

describe("repositories", () => {
  it("are registered from a local git checkout", async () => {
    const dir = makeGitRepo();
    const repository = await createRepository(db, createRepositoryInput.parse({ name: "checkout", path: dir }), null, SECRET);
    expect(repository).toMatchObject({ name: "checkout", path: dir, baseBranch: "main", hasGithubToken: false });
    expect(repository).not.toHaveProperty("githubTokenEncrypted");
  });

  it("refuse a path that is not a git checkout, or a missing base branch, saying what to do", async () => {
    await expect(createRepository(db, createRepositoryInput.parse({ name: "nogit", path: "/tmp" }), null, SECRET)).rejects.toThrow(
      /is not a git checkout/,
    );
    const dir = makeGitRepo();
    await expect(
      createRepository(db, createRepositoryInput.parse({ name: "nobranch", path: dir, baseBranch: "develop" }), null, SECRET),
    ).rejects.toThrow(/has no branch "develop"/);
  });

  it("refuse a duplicate name with a conflict", async () => {
    const dir = makeGitRepo();
    await createRepository(db, createRepositoryInput.parse({ name: "twice", path: dir }), null, SECRET);
    const again = createRepository(db, createRepositoryInput.parse({ name: "twice", path: dir }), null, SECRET);
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: "state_conflict" });
  });

  it("take back what GET returns: every field the API shows as null is accepted as null by POST", async () => {
    const dir = makeGitRepo();
    await createRepository(db, createRepositoryInput.parse({ name: "listed", path: dir }), null, SECRET);
    const listed = JSON.parse(JSON.stringify((await listRepositories(db)).find((repository) => repository.name === "listed")));
    const nulls = Object.keys(createRepositoryInput.shape).filter((key) => listed[key] === null);
    expect(nulls).toEqual(expect.arrayContaining(["url", "github", "setupScript", "verifyCommand", "testPatterns"]));
    const body = Object.fromEntries(Object.keys(createRepositoryInput.shape).filter((key) => key in listed).map((key) => [key, listed[key]]));
    const request = new Request("http://foreman.test/api/repositories", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, name: "again" }) });
    const again = await createRepository(db, await readJson(request, createRepositoryInput), null, SECRET);
    expect(again).toMatchObject({ name: "again", path: dir, url: null, github: null, setupScript: null, verifyCommand: null, testPatterns: null });
  });
});

describe("creating a run", () => {
  it("stores the run, its first event and its review job together", async () => {
    const repository = await seedRepository(db);
    const { id } = await createRun(db, boss, { repositoryId: repository.id, scope: "## Fix login\nsteps" }, "someone");
    const [run] = await db.select().from(runs).where(eq(runs.id, id));
    expect(run).toMatchObject({ title: "Fix login", status: "reviewing", createdBy: "someone" });
    expect(run!.settings.concurrency).toBe(4);
    expect(await eventsOf(id)).toEqual([{ type: "run.created", payload: { title: "Fix login", createdBy: "someone" } }]);
    const jobs = await boss.findJobs("run.review", { data: { runId: id } });
    expect(jobs).toHaveLength(1);
  });

  it("leaves no run, event or job behind when it fails", async () => {
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(runs);
    await expect(
      createRun(db, boss, { repositoryId: "00000000-0000-4000-8000-000000000000", scope: "x" }, null),
    ).rejects.toMatchObject({ code: "not_found" });
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(runs);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

});

describe("status writes", () => {
  it("move a run along allowed transitions and record each as an event", async () => {
    const run = await seedRun(db);
    await transitionRun(db, run.id, "needs_input", { reason: "two questions" });
    await transitionRun(db, run.id, "reviewing");
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row).toMatchObject({ status: "reviewing", version: 2 });
    expect((await eventsOf(run.id)).map((event) => event.payload)).toEqual([
      { from: "reviewing", to: "needs_input", reason: "two questions" },
      { from: "needs_input", to: "reviewing", reason: null },
    ]);
  });

  it("refuse a disallowed run transition as a conflict and change nothing", async () => {
    const run = await seedRun(db);
    await expect(transitionRun(db, run.id, "completed")).rejects.toMatchObject({ code: "state_conflict" });
    const [row] = await db.select({ status: runs.status, version: runs.version }).from(runs).where(eq(runs.id, run.id));
    expect(row).toEqual({ status: "reviewing", version: 0 });
    expect(await eventsOf(run.id)).toEqual([]);
  });

  it("let exactly one of two racing writers win", async () => {
    const run = await seedRun(db, { status: "running" });
    const results = await Promise.allSettled([
      db.transaction((tx) => transitionRun(tx, run.id, "paused")),
      db.transaction((tx) => transitionRun(tx, run.id, "paused")),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("fence off a stale attempt's task write", async () => {
    const run = await seedRun(db, { status: "running" });
    const task = await seedTask(db, { runId: run.id, status: "running", currentAttempt: 2 });
    await expect(transitionTask(db, task.id, "verifying", { attempt: 1 })).rejects.toThrow(/Attempt 1 is stale/);
    await transitionTask(db, task.id, "verifying", { attempt: 2 });
    const [row] = await db.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, task.id));
    expect(row?.status).toBe("verifying");
  });
});

describe("heartbeats", () => {
  it("record what they saw, including stalled attempts, and announce it", async () => {
    const run = await seedRun(db, { status: "running" });
    const stale = await seedTask(db, { runId: run.id, status: "running" });
    const fresh = await seedTask(db, { runId: run.id, status: "running" });
    await seedTask(db, { runId: run.id, status: "waiting" });
    const old = new Date(Date.now() - 60 * 60_000);
    const stalled = await seedAttempt(db, { runId: run.id, taskId: stale.id, lastActivityAt: old });
    await seedAttempt(db, { runId: run.id, taskId: fresh.id });

    await runHeartbeat.handle(ctx(), { runId: run.id, trigger: "manual" }, { id: "job", retryCount: 0 });

    const [beat] = await db.select().from(heartbeats).where(eq(heartbeats.runId, run.id));
    expect(beat).toMatchObject({ trigger: "manual", status: "completed", runnerId: "test-runner", decisions: [] });
    expect(beat!.observations).toMatchObject({
      runStatus: "running",
      tasksByStatus: { running: 2, waiting: 1 },
      stalledAttempts: [{ attemptId: stalled.id, taskId: stale.id }],
    });
    const [event] = await db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, run.id), eq(runEvents.type, "heartbeat.completed")));
    expect(event?.payload).toMatchObject({ heartbeatId: beat!.id, trigger: "manual" });
    expect(String((event?.payload as { summary: string }).summary)).toContain("1 stalled");
  });

  it("can be requested for a live run but not for a finished one", async () => {
    const live = await seedRun(db, { status: "running" });
    await requestHeartbeat(db, boss, live.id);
    expect(await boss.findJobs("run.heartbeat", { data: { runId: live.id } })).toHaveLength(1);
    const done = await seedRun(db, { status: "completed" });
    await expect(requestHeartbeat(db, boss, done.id)).rejects.toMatchObject({ code: "state_conflict" });
  });
});

describe("snapshots", () => {
  it("hold the run, its tasks and the seq they reflect", async () => {
    const run = await seedRun(db);
    await seedTask(db, { runId: run.id, key: "T1", position: 0 });
    await transitionRun(db, run.id, "needs_input");
    const snapshot = await getRunSnapshot(db, run.id);
    expect(snapshot.run.id).toBe(run.id);
    expect(snapshot.tasks.map((task) => task.key)).toEqual(["T1"]);
    const [last] = await db.select({ seq: runEvents.seq }).from(runEvents).where(eq(runEvents.runId, run.id));
    expect(snapshot.seq).toBe(last!.seq);
    await expect(getRunSnapshot(db, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "not_found" });
    expect(snapshot.run.estimatedCostUsd).toBeNull(); // no prices stated
  });

  it("estimate the cost of a run, its tasks and their attempts from the run's prices", async () => {
    const prices = { inputPerMillion: 2, cachedInputPerMillion: 0.5, outputPerMillion: 8 };
    const run = await seedRun(db, { settings: { ...defaultRunSettings(), prices }, tokensInput: 100_000, tokensOutput: 10_000 });
    const task = await seedTask(db, { runId: run.id, tokensInput: 50_000, tokensOutput: 5_000 });
    await seedAttempt(db, { runId: run.id, taskId: task.id, tokensInput: 50_000, tokensCachedInput: 20_000, tokensOutput: 5_000 });
    const snapshot = await getRunSnapshot(db, run.id);
    expect(snapshot.run.estimatedCostUsd).toBe(0.28);
    expect(snapshot.tasks[0]?.estimatedCostUsd).toBe(0.14);
    expect(snapshot.tasks[0]?.attempts.map((a) => a.estimatedCostUsd)).toEqual([0.11]);
  });
});
