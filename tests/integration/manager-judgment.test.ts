import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvals, heartbeats, questions, reports, runs, tasks } from "../../db/schema";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import { decideApproval } from "../../lib/approvals/decide-approval";
import { answerQuestions } from "../../lib/runs/answer-questions";
import type { QueuePayload } from "../../lib/jobs/queues";
import type { RunSettings } from "../../lib/runs/settings";
import { setTokenBudget } from "../../lib/runs/token-budget";
import { runFinish } from "../../worker-runner/jobs/run-finish";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { useBoss } from "../support/boss";
import { useWorkerHarness } from "../support/workers";

const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);
const work = { ...harness.ctx, boss };
const runner = { db, boss, runnerId: "heartbeat-runner", signal: new AbortController().signal, agents: harness.runtime };

/** A blocked-prone task in a run whose manager thread is played by `manager`. */
async function seed(worker: string, manager: string, settings: Partial<RunSettings> = {}) {
  const seeded = await harness.seedWorkerTask({ scenario: worker, currentAttempt: 1, settings: { followUpCap: 0, ...settings } });
  await db.update(runs).set({ scope: `${marker(manager)} Make the greeting say hello, world.` }).where(eq(runs.id, seeded.runId));
  return seeded;
}

const heartbeat = (runId: string, trigger: QueuePayload<"run.heartbeat">["trigger"] = "schedule") =>
  runHeartbeat.handle(runner, { runId, trigger }, { id: "hb", retryCount: 0 });

async function taskRunJobs(taskId: string) {
  const jobs = await boss.findJobs<QueuePayload<"task.run">>("task.run", { data: { taskId } });
  return jobs.map((job) => job.data).sort((a, b) => a.attempt - b.attempt);
}

async function beats(runId: string) {
  return db.select().from(heartbeats).where(eq(heartbeats.runId, runId)).orderBy(heartbeats.startedAt);
}

const pendingApprovals = (runId: string) => db.select().from(approvals).where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")));

describe("the manager at heartbeats", () => {
  it("answers a task blocked after its follow-ups with a stored decision; the follow-up passes Foreman's verification and the run completes with no human", async () => {
    const { task, runId } = await seed("stuck-worker", "judge-follow-up");
    expect(await runTaskAttempt(work, { taskId: task.id, attempt: 1 })).toMatchObject({ status: "blocked" });

    await heartbeat(runId);
    const [beat] = await beats(runId);
    expect(beat).toMatchObject({ status: "completed", observations: expect.objectContaining({ judgedTasks: ["T1"] }) });
    expect(beat!.decisions).toEqual([
      expect.objectContaining({ action: "manager_follow_up", outcome: "applied", taskId: task.id, reason: expect.stringContaining("Manager's reason: Verification failed because greeting.txt was never edited.") }),
    ]);
    const events = await harness.events(task.id);
    expect(events.filter((event) => event.type === "manager.decision")).toHaveLength(1);

    const [job] = (await taskRunJobs(task.id)).filter((data) => data.attempt === 2);
    expect(job?.followUp?.purpose).toBe("manager");
    expect(await runTaskAttempt(work, job!)).toMatchObject({ status: "done" });

    await runFinish.handle(runner, { runId }, { id: "finish", retryCount: 0 });
    const [run] = await db.select().from(runs).where(eq(runs.id, runId));
    expect(run?.status).toBe("completed");
    // No human touched the board: nothing was asked, nothing approved.
    expect(await db.select().from(approvals).where(eq(approvals.runId, runId))).toEqual([]);
    expect(await db.select().from(questions).where(eq(questions.runId, runId))).toEqual([]);
  });

  it("puts a question to the human within one heartbeat when a worker checks in blocked for missing credentials", async () => {
    const { task, runId } = await seed("credentials-worker", "judge-ask-human");
    expect(await runTaskAttempt(work, { taskId: task.id, attempt: 1 })).toMatchObject({ status: "blocked" });
    // The check-in queued a heartbeat at once.
    const [queued] = await boss.findJobs<QueuePayload<"run.heartbeat">>("run.heartbeat", { data: { runId } });
    expect(queued?.data).toEqual({ runId, trigger: "worker_blocked" });

    await runHeartbeat.handle(runner, queued!.data, { id: queued!.id, retryCount: 0 });
    const asked = await db.select().from(questions).where(eq(questions.runId, runId));
    expect(asked).toEqual([expect.objectContaining({ source: "manager", status: "open", taskId: task.id, text: expect.stringContaining("PAYMENTS_API_KEY") })]);
    const [beat] = await beats(runId);
    expect(beat).toMatchObject({ trigger: "worker_blocked", status: "completed" });
    expect(beat!.decisions).toEqual([expect.objectContaining({ action: "manager_ask_human", outcome: "applied" })]);
    // The manager's digest quoted the worker's words as data, from Foreman's record.
    const [prompt] = harness.model.requestsFor("judge-ask-human").map((request) => JSON.stringify(request.body));
    expect(prompt).toContain("HOLD_REASON_");

    // The human's answer goes to the worker, on its own thread.
    await answerQuestions(db, boss, runId, [{ questionId: asked[0]!.id, text: "Mock the payments sandbox; no key is needed." }], "owner@example.test");
    expect((await db.select().from(questions).where(eq(questions.runId, runId)))[0]).toMatchObject({ status: "answered" });
    const [followUp] = (await taskRunJobs(task.id)).filter((data) => data.attempt === 2);
    expect(followUp?.followUp).toMatchObject({ purpose: "manager", prompt: expect.stringContaining("Mock the payments sandbox; no key is needed.") });
    expect(await harness.task(task.id)).toMatchObject({ status: "running", currentAttempt: 2 });
  });

  it("holds a follow-up that widens the task's scope for approval: nothing runs before it, declined nothing changes, approved it runs with the wider scope", async () => {
    for (const decision of ["reject", "approve"] as const) {
      const { task, runId } = await seed("stuck-worker", "judge-widen");
      await runTaskAttempt(work, { taskId: task.id, attempt: 1 });
      const before = await harness.task(task.id);
      await heartbeat(runId);

      const [approval] = await pendingApprovals(runId);
      expect(approval).toMatchObject({ kind: "scope_widening", taskId: task.id, reason: expect.stringContaining("docs/**") });
      expect((await beats(runId))[0]!.decisions).toEqual([expect.objectContaining({ action: "manager_follow_up", outcome: "awaiting_approval" })]);
      expect(await taskRunJobs(task.id)).toEqual([]);
      expect(await harness.task(task.id)).toMatchObject({ status: "blocked", currentAttempt: 1, scope: ["greeting.txt"] });

      const decided = await decideApproval(db, boss, approval!.id, { decision }, "owner@example.test");
      if (decision === "reject") {
        expect(decided.followUpAttempt).toBeNull();
        expect(await harness.task(task.id)).toMatchObject({ status: "blocked", currentAttempt: 1, scope: ["greeting.txt"], holdReason: before.holdReason });
        expect(await taskRunJobs(task.id)).toEqual([]);
      } else {
        expect(decided.followUpAttempt).toBe(2);
        expect(await harness.task(task.id)).toMatchObject({ status: "running", currentAttempt: 2, scope: ["greeting.txt", "docs/**"] });
        expect((await taskRunJobs(task.id)).map((data) => [data.attempt, data.followUp?.purpose])).toEqual([[2, "manager"]]);
      }
      expect(await pendingApprovals(runId)).toEqual([]);
    }
  });

  it("holds a proposal to drop a task for approval: declined the task stays, approved it is dropped", async () => {
    for (const decision of ["reject", "approve"] as const) {
      const { task, runId } = await seed("stuck-worker", "judge-drop");
      await runTaskAttempt(work, { taskId: task.id, attempt: 1 });
      await heartbeat(runId);
      const [approval] = await pendingApprovals(runId);
      expect(approval).toMatchObject({ kind: "drop_task", taskId: task.id });
      expect((await harness.task(task.id)).status).toBe("blocked");
      await decideApproval(db, boss, approval!.id, { decision }, "owner@example.test");
      expect((await harness.task(task.id)).status).toBe(decision === "reject" ? "blocked" : "cancelled");
    }
  });

  it("stops a manager that asks for a follow-up at every heartbeat at the cap, and the task stays blocked saying so", async () => {
    const { task, runId } = await seed("stubborn-worker", "judge-follow-up", { managerFollowUpCap: 1 });
    await runTaskAttempt(work, { taskId: task.id, attempt: 1 });
    await heartbeat(runId);
    const [second] = (await taskRunJobs(task.id)).filter((data) => data.attempt === 2);
    expect(await runTaskAttempt(work, second!)).toMatchObject({ status: "blocked" });

    await heartbeat(runId);
    const latest = (await beats(runId)).at(-1)!;
    expect(latest.decisions).toEqual([expect.objectContaining({ action: "manager_follow_up", outcome: "refused", reason: expect.stringContaining("it has had 1 of 1") })]);
    expect(await harness.task(task.id)).toMatchObject({ status: "blocked", currentAttempt: 2, managerFollowUps: 1, holdReason: expect.stringContaining("it has had 1 of 1") });
    expect((await taskRunJobs(task.id)).map((data) => data.attempt)).toEqual([2]);

    // Judged once per status change: the next heartbeat does not ask the manager again.
    await heartbeat(runId);
    const asked = await db.select().from(reports).where(and(eq(reports.runId, runId), eq(reports.kind, "manager_heartbeat")));
    expect(asked).toHaveLength(2);
  });
});

describe("tasks the manager adds", () => {
  it("are added under their parent up to the number one review may add, more wait for approval, and the per-parent cap holds even when a human approves", async () => {
    const { task, runId } = await seed("stuck-worker", "judge-new-tasks", { managerNewTasksPerReview: 1, managerNewTaskCap: 2 });
    await runTaskAttempt(work, { taskId: task.id, attempt: 1 });
    await heartbeat(runId);
    const children = () => db.select().from(tasks).where(eq(tasks.parentTaskId, task.id)).orderBy(tasks.key);
    expect((await children()).map((row) => [row.key, row.status, row.scope, row.verification.commands])).toEqual([["T2", "waiting", ["greeting.txt"], ["sh test.sh"]]]);
    expect(await boss.findJobs("run.schedule", { data: { runId } })).not.toHaveLength(0);
    expect((await beats(runId))[0]!.decisions.map((d) => d.outcome)).toEqual(["applied", "awaiting_approval", "awaiting_approval"]);
    const [second, third] = await pendingApprovals(runId);
    expect(second).toMatchObject({ kind: "new_task", taskId: task.id });

    await decideApproval(db, boss, second!.id, { decision: "approve" }, "owner@example.test");
    expect((await children()).map((row) => row.key)).toEqual(["T2", "T3"]);
    // T1 now has its two: approving the third is refused and adds nothing; declined, it is gone.
    await expect(decideApproval(db, boss, third!.id, { decision: "approve" }, "owner@example.test")).rejects.toMatchObject({ code: "state_conflict" });
    expect(await children()).toHaveLength(2);
    await decideApproval(db, boss, third!.id, { decision: "reject" }, "owner@example.test");
    expect(await pendingApprovals(runId)).toEqual([]);
    expect(await children()).toHaveLength(2);
  });
});

describe("a heartbeat whose runner stopped mid-review", () => {
  it("is marked failed by a later heartbeat, and its tasks are judged again", async () => {
    const { task, runId } = await seed("stuck-worker", "judge-drop");
    await runTaskAttempt(work, { taskId: task.id, attempt: 1 });
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await db.update(tasks).set({ managerJudgedAt: new Date() }).where(eq(tasks.id, task.id));
    const [lost] = await db.insert(heartbeats).values({ runId, trigger: "schedule", status: "running", observations: { judging: [task.id] }, startedAt: longAgo }).returning();
    await heartbeat(runId);
    expect((await db.select().from(heartbeats).where(eq(heartbeats.id, lost!.id)))[0]).toMatchObject({ status: "failed", error: expect.stringContaining("judged again") });
    expect(await pendingApprovals(runId)).toEqual([expect.objectContaining({ kind: "drop_task", taskId: task.id })]);
  });
});

describe("the run's token budget", () => {
  it("pauses the run with the reason when its tokens reach the budget, and raising the budget resumes it", async () => {
    // Each scripted request costs 1050 tokens: the first turn (two requests) reaches a budget of 2000.
    const { task, runId } = await seed("stubborn-worker", "judge-follow-up", { followUpCap: 3, tokenBudget: 2000 });
    expect(await runTaskAttempt(work, { taskId: task.id, attempt: 1 })).toMatchObject({ status: "interrupted" });
    const [paused] = await db.select().from(runs).where(eq(runs.id, runId));
    expect(paused).toMatchObject({ status: "paused", statusReason: "token budget reached: 2100 of 2000 tokens; raise the budget to continue" });
    // No second turn started once the budget was reached; the task waits, still running, for resume.
    expect((await harness.events(task.id)).filter((event) => event.type === "agent.turn_started")).toHaveLength(1);
    expect(await harness.task(task.id)).toMatchObject({ status: "running", currentAttempt: 1 });

    // A budget that still leaves no room resumes nothing.
    expect(await setTokenBudget(db, boss, runId, 2100, "owner@example.test")).toEqual({ resumed: false });
    expect(await setTokenBudget(db, boss, runId, 50_000, "owner@example.test")).toEqual({ resumed: true });
    const [resumed] = await db.select().from(runs).where(eq(runs.id, runId));
    expect(resumed).toMatchObject({ status: "running", settings: expect.objectContaining({ tokenBudget: 50_000 }) });
    // Resume continues the paused attempt on its own thread.
    expect((await taskRunJobs(task.id)).map((data) => [data.attempt, data.resume])).toEqual([[1, true]]);
  });

  it("leaves a run a human paused paused when its budget is raised", async () => {
    const { runId } = await seed("stubborn-worker", "judge-follow-up", { tokenBudget: 2000 });
    await db.update(runs).set({ status: "paused", statusReason: "paused by user someone" }).where(eq(runs.id, runId));
    expect(await setTokenBudget(db, boss, runId, 50_000, "owner@example.test")).toEqual({ resumed: false });
    expect((await db.select().from(runs).where(eq(runs.id, runId)))[0]?.status).toBe("paused");
  });
});
