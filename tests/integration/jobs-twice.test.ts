import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvals, attempts, repositories, runEvents, runs, tasks } from "../../db/schema";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import { approvePlan } from "../../lib/plans/decide-plan";
import { defaultRunSettings } from "../../lib/runs/settings";
import { acceptTask } from "../../lib/tasks/hand-off-actions";
import { runFinish } from "../../worker-runner/jobs/run-finish";
import { runPlan } from "../../worker-runner/jobs/run-plan";
import { runReview } from "../../worker-runner/jobs/run-review";
import { runSchedule } from "../../worker-runner/jobs/run-schedule";
import { runTask } from "../../worker-runner/jobs/run-task";
import { taskLand } from "../../worker-runner/jobs/task-land";
import { useBoss } from "../support/boss";
import { makeGitRepo, seedRun, seedUser } from "../support/factories";
import { gitOut, useWorkerHarness } from "../support/workers";

/**
 * Issue 14, crash-only: pg-boss delivers a job again when its runner died
 * mid-job (the job's heartbeat stopped), so every job must be safe to run
 * twice. Each job here runs twice, as a redelivery would run it, and its
 * effect is found once: one review, one plan, one attempt and one commit, one
 * landing, one summary.
 */
const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);
const ctx = { db, boss, runnerId: harness.runnerId, signal: new AbortController().signal, agents: harness.runtime };
const first = { id: "job", retryCount: 0 };
const again = { id: "job", retryCount: 1 };
const countOf = async (runId: string, type: string) => (await db.select().from(runEvents).where(and(eq(runEvents.runId, runId), eq(runEvents.type, type)))).length;

describe("every job run twice has one effect", () => {
  it("review, plan, task, landing and summary of one run, each delivered twice", async () => {
    const person = await seedUser(db, { name: "Rita" });
    const repo = makeGitRepo(SAMPLE_REPO_FILES);
    const [repository] = await db.insert(repositories).values({ name: `twice-${Date.now()}`, path: repo, baseBranch: "main" }).returning();
    const run = await seedRun(db, {
      repositoryId: repository!.id,
      scope: `${marker("manager-clear")}\n## Fix the greeting\nIt should say hello, world.`,
      settings: { ...defaultRunSettings(), requireHumanAccept: true },
    });

    await runReview.handle(ctx, { runId: run.id }, first);
    const reviewed = (await db.select().from(runs).where(eq(runs.id, run.id)))[0]!;
    expect(reviewed.status).toBe("planning");
    await runReview.handle(ctx, { runId: run.id }, again);
    // The second delivery finds the review done: no second manager turn, nothing changed.
    expect((await db.select().from(runs).where(eq(runs.id, run.id)))[0]).toMatchObject({ status: "planning", review: reviewed.review, version: reviewed.version });
    const turns = await countOf(run.id, "agent.turn_started");
    await runPlan.handle(ctx, { runId: run.id, comment: null }, first);
    await runPlan.handle(ctx, { runId: run.id, comment: null }, again);
    expect(await countOf(run.id, "agent.turn_started")).toBe(turns + 1);
    const planned = await db.select().from(tasks).where(eq(tasks.runId, run.id)).orderBy(asc(tasks.position));
    expect(planned.map((task) => task.key)).toEqual(["T1", "T2"]);
    expect((await db.select().from(approvals).where(and(eq(approvals.runId, run.id), eq(approvals.kind, "plan")))).length).toBe(1);

    // Only T1 is worked (T2 has no scripted worker); it is approved, scheduled and run twice.
    await db.delete(tasks).where(and(eq(tasks.runId, run.id), eq(tasks.key, "T2")));
    await approvePlan(db, boss, run.id, person.id);
    await runSchedule.handle(ctx, { runId: run.id }, first);
    await runSchedule.handle(ctx, { runId: run.id }, again);
    const [task] = await db.select().from(tasks).where(eq(tasks.runId, run.id));
    expect(task!.currentAttempt).toBe(1);
    await runTask.handle(ctx, { taskId: task!.id, attempt: 1 }, first);
    await runTask.handle(ctx, { taskId: task!.id, attempt: 1 }, again);
    const rows = await db.select().from(attempts).where(eq(attempts.taskId, task!.id));
    expect(rows).toHaveLength(1);
    const ready = (await db.select().from(tasks).where(eq(tasks.id, task!.id)))[0]!;
    expect(ready.status).toBe("needs_review");
    expect(Number(gitOut(repo, "rev-list", "--count", `main..${ready.branch}`))).toBeGreaterThan(0);

    // Accepted once by a person; the landing job delivered twice merges once.
    await acceptTask(db, boss, task!.id, person.id);
    await taskLand.handle(ctx, { taskId: task!.id, action: "accept", by: person.id }, first);
    const landed = gitOut(repo, "rev-parse", "main");
    await taskLand.handle(ctx, { taskId: task!.id, action: "accept", by: person.id }, again);
    expect(gitOut(repo, "rev-parse", "main")).toBe(landed);
    expect(gitOut(repo, "rev-list", "--count", `main..${ready.branch}`)).toBe("0");
    expect((await db.select().from(tasks).where(eq(tasks.id, task!.id)))[0]!.status).toBe("done");

    // The summary, twice: written once, the run completed once.
    await runSchedule.handle(ctx, { runId: run.id }, first);
    await runFinish.handle(ctx, { runId: run.id }, first);
    const summary = (await db.select().from(runs).where(eq(runs.id, run.id)))[0]!.summary;
    await runFinish.handle(ctx, { runId: run.id }, again);
    const finished = (await db.select().from(runs).where(eq(runs.id, run.id)))[0]!;
    expect(finished).toMatchObject({ status: "completed", summary });
    const completions = (await db.select({ payload: runEvents.payload }).from(runEvents).where(and(eq(runEvents.runId, run.id), eq(runEvents.type, "run.status_changed")))).filter(
      (row) => (row.payload as { to?: string }).to === "completed",
    );
    expect(completions).toHaveLength(1);
  });
});
