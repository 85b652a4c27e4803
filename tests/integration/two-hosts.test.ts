import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { codexThreads, questions, repositories, runEvents, runs, tasks } from "../../db/schema";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import { approvePlan, editPlan } from "../../lib/plans/decide-plan";
import { planTask } from "../../e2e/scripted-model/scenarios/manager";
import { answerQuestions } from "../../lib/runs/answer-questions";
import { runFinish } from "../../worker-runner/jobs/run-finish";
import { runPlan } from "../../worker-runner/jobs/run-plan";
import { runReview } from "../../worker-runner/jobs/run-review";
import { runSchedule } from "../../worker-runner/jobs/run-schedule";
import { runTask } from "../../worker-runner/jobs/run-task";
import { useBoss } from "../support/boss";
import { makeGitRepo, seedRun } from "../support/factories";
import { useWorkerHarness } from "../support/workers";

/**
 * Issue 14, acceptance criterion 1: two runners on two hosts (each its own
 * FOREMAN_DATA_DIR, so its own CODEX_HOMEs and worktrees; they share only
 * PostgreSQL and the repository). Every job of one run goes to the other host
 * than the one before it: the manager's thread and the worker's thread move
 * through the database, and the run completes with its summary.
 */
const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);
const hostB = mkdtempSync(path.join(os.tmpdir(), "foreman-host-b-"));
afterAll(() => rmSync(hostB, { recursive: true, force: true }));

const job = { id: "job", retryCount: 0 };
const hosts = {
  a: { db, boss, runnerId: "host-a:1:runner", signal: new AbortController().signal, agents: harness.runtime },
  b: { db, boss, runnerId: "host-b:1:runner", signal: new AbortController().signal, agents: harness.ctxWith({ dataDir: hostB }).runtime },
};
const runRow = async (id: string) => (await db.select().from(runs).where(eq(runs.id, id)))[0]!;

describe("two runners on two hosts", () => {
  it("review, answer, review, plan, work and summary complete whichever host takes each job", async () => {
    expect(hosts.a.agents.codexHomes).not.toBe(hosts.b.agents.codexHomes);
    const repo = makeGitRepo(SAMPLE_REPO_FILES);
    const [repository] = await db.insert(repositories).values({ name: `two-hosts-${Date.now()}`, path: repo, baseBranch: "main" }).returning();
    const run = await seedRun(db, { repositoryId: repository!.id, scope: `${marker("manager-questions")}\n## Fix the greeting\nIt should say hello, world.` });

    await runReview.handle(hosts.a, { runId: run.id }, job);
    expect((await runRow(run.id)).status).toBe("needs_input");
    const threadId = (await runRow(run.id)).managerThreadId!;
    const [question] = await db.select().from(questions).where(eq(questions.runId, run.id));
    await answerQuestions(db, boss, run.id, [{ questionId: question!.id, text: "No full stop, exactly: hello, world" }], null);

    // The answer is read on host B, which has never seen the thread: it comes from the database.
    await runReview.handle(hosts.b, { runId: run.id }, job);
    expect((await runRow(run.id)).status).toBe("planning");
    // Host A's copy is one turn behind now: it is replaced by the longer one before the plan.
    await runPlan.handle(hosts.a, { runId: run.id, comment: null }, job);
    expect(await runRow(run.id)).toMatchObject({ status: "awaiting_approval", managerThreadId: threadId });

    // One task (the scripted plan's second task has no scripted worker); approved, scheduled, worked on host B.
    await editPlan(db, run.id, { version: (await runRow(run.id)).version, tasks: [planTask("T1")] }, null);
    await approvePlan(db, boss, run.id, null);
    await runSchedule.handle(hosts.a, { runId: run.id }, job);
    const [task] = await db.select().from(tasks).where(eq(tasks.runId, run.id)).orderBy(asc(tasks.position));
    await runTask.handle(hosts.b, { taskId: task!.id, attempt: task!.currentAttempt }, job);
    expect((await db.select().from(tasks).where(eq(tasks.id, task!.id)))[0]).toMatchObject({ status: "done" });
    expect((await harness.attempt(task!.id))!.worktreePath!.startsWith(hostB)).toBe(true);

    // The summary resumes the manager's thread on host B, whose own copy is two turns behind.
    await runSchedule.handle(hosts.a, { runId: run.id }, job);
    await runFinish.handle(hosts.b, { runId: run.id }, job);
    const finished = await runRow(run.id);
    expect(finished).toMatchObject({ status: "completed", managerThreadId: threadId });
    expect(finished.summary).toContain("The greeting now says hello, world.");

    // One manager thread throughout, every request of it answered: nothing failed to resume.
    const requests = harness.model.requestsFor("manager-questions");
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(new Set(requests.map((request) => request.threadId))).toEqual(new Set([threadId]));
    expect(requests.filter((request) => request.outcome !== "answered")).toEqual([]);
    const [stored] = await db.select({ savedBy: codexThreads.savedBy, home: codexThreads.home }).from(codexThreads).where(eq(codexThreads.threadId, threadId));
    expect(stored).toEqual({ savedBy: hosts.b.runnerId, home: `run-${run.id}` });
    const notes = await db.select({ payload: runEvents.payload }).from(runEvents).where(eq(runEvents.runId, run.id));
    expect(JSON.stringify(notes)).not.toMatch(/no rollout found|turn failed/i);
  });
});
