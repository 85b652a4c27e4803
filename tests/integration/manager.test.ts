import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvals, heartbeats, questions, reports, repositories, runEvents, runs, tasks } from "../../db/schema";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { approvePlan, editPlan } from "../../lib/plans/decide-plan";
import type { PlanTask } from "../../lib/plans/schema";
import { answerQuestions } from "../../lib/runs/answer-questions";
import { runFinish } from "../../worker-runner/jobs/run-finish";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { runPlan } from "../../worker-runner/jobs/run-plan";
import { runReview } from "../../worker-runner/jobs/run-review";
import { runSchedule } from "../../worker-runner/jobs/run-schedule";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { makeGitRepo, seedRun } from "../support/factories";
import { useBoss } from "../support/boss";
import { useWorkerHarness } from "../support/workers";

const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);

const job = { id: "job", retryCount: 0 };
const ctx = () => ({ db, boss, runnerId: harness.runnerId, signal: new AbortController().signal, agents: harness.runtime });

async function newRun(scenario: string) {
  const repo = makeGitRepo(SAMPLE_REPO_FILES);
  const [repository] = await db.insert(repositories).values({ name: `repo-${scenario}-${Date.now()}`, path: repo, baseBranch: "main" }).returning();
  return seedRun(db, { repositoryId: repository!.id, scope: `${marker(scenario)}\n## Fix the greeting\nIt should say hello, world.` });
}
const runRow = async (id: string) => (await db.select().from(runs).where(eq(runs.id, id)))[0]!;
const taskRows = (runId: string) => db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position));
const bodyText = (body: Record<string, unknown> | null) => JSON.stringify(body ?? {});

describe("the manager", () => {
  it("asks when the scope is unclear, waits in needs_input, and plans in the same thread once answered", async () => {
    const run = await newRun("manager-questions");
    await runReview.handle(ctx(), { runId: run.id }, job);
    expect((await runRow(run.id)).status).toBe("needs_input");
    const [question] = await db.select().from(questions).where(eq(questions.runId, run.id));
    expect(question).toMatchObject({ text: "Should the greeting end with a full stop?", status: "open", externalId: "q1" });
    const threadId = (await runRow(run.id)).managerThreadId;
    expect(threadId).toBeTruthy();

    await answerQuestions(db, boss, run.id, [{ questionId: question!.id, text: "No full stop, exactly: hello, world" }], "someone");
    await runReview.handle(ctx(), { runId: run.id }, job);
    expect((await runRow(run.id)).status).toBe("planning");
    await runPlan.handle(ctx(), { runId: run.id, comment: null }, job);

    const after = await runRow(run.id);
    expect(after.status).toBe("awaiting_approval");
    expect(after.managerThreadId).toBe(threadId);
    expect((await taskRows(run.id)).map((t) => [t.key, t.status, t.dependsOn])).toEqual([
      ["T1", "waiting", []],
      ["T2", "waiting", ["T1"]],
    ]);
    // One thread: the planning request carries the answer in its history.
    const requests = harness.model.requestsFor("manager-questions").filter((r) => r.outcome === "answered");
    expect(new Set(requests.map((r) => r.threadId))).toEqual(new Set([threadId]));
    expect(bodyText(requests.at(-1)!.body)).toContain("No full stop, exactly: hello, world");
    // Nothing runs before approval.
    await runSchedule.handle(ctx(), { runId: run.id }, job);
    expect((await taskRows(run.id)).every((t) => t.currentAttempt === 0)).toBe(true);
  });

  it("never lets a plan with a dependency cycle reach the scheduler", async () => {
    const run = await newRun("manager-cycle");
    await runReview.handle(ctx(), { runId: run.id }, job);
    await runPlan.handle(ctx(), { runId: run.id, comment: null }, job);
    // Sent back once with the problem, still cyclic: surfaced, no tasks.
    const planRequests = harness.model.requestsFor("manager-cycle").filter((r) => r.outcome === "answered" && bodyText(r.body).includes("Now plan the work"));
    expect(bodyText(planRequests.at(-1)!.body)).toContain("Dependency cycle: T1");
    expect((await runRow(run.id)).status).toBe("awaiting_approval");
    expect(await taskRows(run.id)).toEqual([]);
    const [approval] = await db.select().from(approvals).where(eq(approvals.runId, run.id));
    expect(approval?.reason).toMatch(/cannot run \(Dependency cycle: T1 → T2 → T1\. Every task waits for another; none can start\.\)/);
    await expect(approvePlan(db, boss, run.id, "someone")).rejects.toMatchObject({ code: "state_conflict" });
  });

  it("refuses a plan with a glob bomb at validation while another run on the same runner plans and starts", async () => {
    const bombed = await newRun("manager-glob-bomb");
    const other = await newRun("manager-clear");
    await Promise.all([runReview.handle(ctx(), { runId: bombed.id }, job), runReview.handle(ctx(), { runId: other.id }, job)]);
    await Promise.all([runPlan.handle(ctx(), { runId: bombed.id, comment: null }, job), runPlan.handle(ctx(), { runId: other.id, comment: null }, job)]);

    // Sent back once with the readable refusal; refused again: surfaced, no tasks.
    const refusal = "tasks.0.scope.1: scope glob `src/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{…` has 40 brace groups; at most 4 are allowed";
    const retry = harness.model.requestsFor("manager-glob-bomb").filter((r) => r.outcome === "answered").at(-1)!;
    expect(bodyText(retry.body)).toContain(`Your answer could not be used: The answer does not match the schema: ${refusal}. Answer again`);
    expect((await runRow(bombed.id)).status).toBe("failed");
    expect(await taskRows(bombed.id)).toEqual([]);
    const stored = await db.select().from(reports).where(eq(reports.runId, bombed.id));
    expect(stored.map((report) => [report.kind, report.valid])).toEqual([
      ["manager_review", true],
      ["manager_plan", false],
      ["manager_plan", false],
    ]);
    const notes = await db.select({ payload: runEvents.payload }).from(runEvents).where(and(eq(runEvents.runId, bombed.id), eq(runEvents.type, "run.note")));
    expect(notes.map((note) => (note.payload as { message: string }).message)).toEqual([`The manager could not plan: The answer does not match the schema: ${refusal}.`]);

    // Meanwhile the other run's plan was stored and it starts once approved.
    expect((await runRow(other.id)).status).toBe("awaiting_approval");
    await approvePlan(db, boss, other.id, "someone");
    await runSchedule.handle(ctx(), { runId: other.id }, job);
    expect((await taskRows(other.id)).map((t) => [t.key, t.status])).toEqual([
      ["T1", "ready"],
      ["T2", "waiting"],
    ]);
  });

  it("hands the workers the plan as the human edited it", async () => {
    const run = await newRun("manager-clear");
    await runReview.handle(ctx(), { runId: run.id }, job);
    await runPlan.handle(ctx(), { runId: run.id, comment: null }, job);
    const proposed = await taskRows(run.id);
    expect(proposed.map((t) => t.key)).toEqual(["T1", "T2"]);
    const edited: PlanTask = {
      key: "T1",
      title: "Greeting, edited",
      kind: "code",
      goal: `${marker("honest-worker")} Make greeting.txt say "hello, world". EDITED-BY-A-HUMAN.`,
      scope: ["greeting.txt"],
      definitionOfDone: ["sh test.sh passes"],
      verification: { commands: ["sh test.sh"], manual: null },
      dependsOn: [],
    };
    await editPlan(db, run.id, { version: (await runRow(run.id)).version, tasks: [edited] }, "someone");
    await approvePlan(db, boss, run.id, "someone");
    await runSchedule.handle(ctx(), { runId: run.id }, job);
    const [task] = await taskRows(run.id);
    expect(task).toMatchObject({ key: "T1", status: "ready", currentAttempt: 1 });
    const outcome = await runTaskAttempt(harness.ctx, { taskId: task!.id, attempt: 1 });
    expect(outcome.status).toBe("done");
    const workerRequests = harness.model.requestsFor("honest-worker").filter((r) => bodyText(r.body).includes("EDITED-BY-A-HUMAN"));
    expect(workerRequests.length).toBeGreaterThan(0);
    expect(harness.model.requests.some((r) => bodyText(r.body).includes("Mention the greeting in README.md") && r.scenario === "honest-worker")).toBe(false);

    // Every task verified: the manager writes the summary and the run completes.
    await runSchedule.handle(ctx(), { runId: run.id }, job);
    expect(await boss.findJobs("run.finish", { data: { runId: run.id } })).toHaveLength(1);
    await runFinish.handle(ctx(), { runId: run.id }, job);
    const finished = await runRow(run.id);
    expect(finished.status).toBe("completed");
    expect(finished.summary).toContain("The greeting now says hello, world.");
    expect(finished.summary).toContain("Verification: Foreman ran sh test.sh on the branch; it passed.");
    const summaryRequest = harness.model.requestsFor("manager-clear").at(-1)!;
    expect(bodyText(summaryRequest.body)).toContain("T1 Greeting, edited: done; passed");
  });

  it("keeps a run with a blocked task open, and its heartbeat says what the task needs", async () => {
    const run = await newRun("manager-clear");
    await db.update(runs).set({ status: "running" }).where(eq(runs.id, run.id));
    await db.insert(tasks).values([
      { runId: run.id, key: "T1", title: "Done one", goal: "x", status: "done" },
      { runId: run.id, key: "T2", title: "Stuck one", goal: "y", status: "blocked", holdReason: "Verification failed 3 times: FAIL greeting" },
    ]);
    await runSchedule.handle(ctx(), { runId: run.id }, job);
    expect(await boss.findJobs("run.finish", { data: { runId: run.id } })).toHaveLength(0);
    await runHeartbeat.handle(ctx(), { runId: run.id, trigger: "manual" }, job);
    expect((await runRow(run.id)).status).toBe("running");
    const [beat] = await db.select().from(heartbeats).where(eq(heartbeats.runId, run.id));
    expect(beat?.observations).toMatchObject({ blockedTasks: [{ key: "T2", reason: "Verification failed 3 times: FAIL greeting" }] });
  });
});
