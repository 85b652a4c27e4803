import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { approvals, questions, runEvents, runs, tasks } from "../../db/schema";
import { errorResponse, readJson } from "../../lib/http/route";
import { approvePlan, editPlan, requestReplan } from "../../lib/plans/decide-plan";
import { planEditInput } from "../../lib/plans/edit";
import type { PlanTask } from "../../lib/plans/schema";
import { replaceProposedTasks } from "../../lib/plans/store-plan";
import { answerQuestions } from "../../lib/runs/answer-questions";
import { retryTask } from "../../lib/tasks/retry-task";
import { defaultRunSettings } from "../../lib/runs/settings";
import { runSchedule } from "../../worker-runner/jobs/run-schedule";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { heartbeatCron } from "../../lib/runs/heartbeat-schedule";
import { useBoss } from "../support/boss";
import { useTestDatabase } from "../support/db";
import { seedRun } from "../support/factories";

const database = await useTestDatabase();
const { db } = database;
const boss = await useBoss(database.url);

const planTask = (key: string, over: Partial<PlanTask> = {}): PlanTask => ({
  key,
  title: `Task ${key}`,
  kind: "code",
  goal: `Do ${key}.`,
  scope: [`src/${key.toLowerCase()}/**`],
  definitionOfDone: ["tests pass"],
  verification: { commands: ["npm test"], manual: null },
  dependsOn: [],
  ...over,
});

async function awaitingRun(planTasks = [planTask("T1"), planTask("T2", { dependsOn: ["T1"] }), planTask("T3")], gate: "plan" | "risk" = "plan") {
  const run = await seedRun(db, { status: "awaiting_approval" });
  await db.transaction(async (tx) => {
    await replaceProposedTasks(tx, run.id, planTasks);
    await tx.insert(approvals).values({ runId: run.id, kind: gate, reason: gate === "risk" ? "The review found a high risk: billing." : "The plan needs a human's approval." });
  });
  return run;
}

const taskRows = (runId: string) => db.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position));
const eventTypes = async (runId: string) => (await db.select({ type: runEvents.type }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(runEvents.seq)).map((e) => e.type);

describe("answering the manager's questions", () => {
  it("keeps the run waiting until every question is answered, then resumes the review", async () => {
    const run = await seedRun(db, { status: "needs_input" });
    const [q1, q2] = await db
      .insert(questions)
      .values([
        { runId: run.id, source: "review", text: "Which database?", why: "changes the plan" },
        { runId: run.id, source: "review", text: "Keep the old API?", why: "scope" },
      ])
      .returning();
    expect(await answerQuestions(db, boss, run.id, [{ questionId: q1!.id, text: "PostgreSQL" }], "u1")).toEqual({ stillOpen: 1 });
    expect((await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]?.status).toBe("needs_input");
    await expect(answerQuestions(db, boss, run.id, [{ questionId: q1!.id, text: "again" }], "u1")).rejects.toMatchObject({ code: "state_conflict" });

    expect(await answerQuestions(db, boss, run.id, [{ questionId: q2!.id, text: "No" }], "u1")).toEqual({ stillOpen: 0 });
    expect((await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]?.status).toBe("reviewing");
    expect(await boss.findJobs("run.review", { data: { runId: run.id } })).toHaveLength(1);
    const stored = await db.select().from(questions).where(eq(questions.runId, run.id)).orderBy(asc(questions.createdAt));
    expect(stored.map((q) => [q.status, q.answer, q.answeredBy])).toEqual([
      ["answered", "PostgreSQL", "u1"],
      ["answered", "No", "u1"],
    ]);
  });

  it("refuses answers when the run asks nothing", async () => {
    const run = await seedRun(db, { status: "running" });
    await expect(answerQuestions(db, boss, run.id, [{ questionId: run.id, text: "x" }], null)).rejects.toMatchObject({ code: "state_conflict" });
  });
});

describe("a proposed plan", () => {
  it("is what the workers get after a human edit: changed goal, removed task", async () => {
    const run = await awaitingRun();
    const [t1, , t3] = await taskRows(run.id);
    expect(t1?.goal).toBe("Do T1.");
    await editPlan(db, run.id, { version: run.version, tasks: [planTask("T1", { goal: "Do T1, but only the API." }), planTask("T2", { dependsOn: ["T1"] })] }, "u1");
    const edited = await taskRows(run.id);
    expect(edited.map((t) => [t.key, t.goal, t.status])).toEqual([
      ["T1", "Do T1, but only the API.", "waiting"],
      ["T2", "Do T2.", "waiting"],
    ]);
    expect(edited.find((t) => t.id === t3?.id)).toBeUndefined();
  });

  it("refuses an edit made against an older version, and an edit with a cycle, changing nothing", async () => {
    const run = await awaitingRun();
    await editPlan(db, run.id, { version: run.version, tasks: [planTask("T1")] }, null);
    await expect(editPlan(db, run.id, { version: run.version, tasks: [planTask("T9")] }, null)).rejects.toThrow(/plan changed since you opened it/);
    const [{ version } = { version: -1 }] = await db.select({ version: runs.version }).from(runs).where(eq(runs.id, run.id));
    await expect(
      editPlan(db, run.id, { version, tasks: [planTask("T1", { dependsOn: ["T2"] }), planTask("T2", { dependsOn: ["T1"] })] }, null),
    ).rejects.toThrow(/Dependency cycle: T1 → T2 → T1/);
    expect((await taskRows(run.id)).map((t) => t.key)).toEqual(["T1"]);
  });

  it("refuses a human edit whose scope is a glob bomb with a 400 that names the glob and the limit, changing nothing", async () => {
    const run = await awaitingRun();
    const bomb = { version: run.version, tasks: [planTask("T1", { scope: ["src/t1/**", `src/${"{a,b}".repeat(40)}`] })] };
    // The body as POST /api/runs/:id/plan reads it.
    const request = new Request("http://foreman.test/api/runs/x/plan", { method: "POST", body: JSON.stringify(bomb) });
    const refused = await readJson(request, planEditInput).catch((error: unknown) => errorResponse(error));
    expect(refused).toBeInstanceOf(Response);
    const response = refused as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: "validation_failed", message: "tasks.0.scope.1: scope glob `src/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{…` has 40 brace groups; at most 4 are allowed" },
    });
    expect((await taskRows(run.id)).map((t) => t.key)).toEqual(["T1", "T2", "T3"]);

    const sane = await readJson(new Request("http://foreman.test/", { method: "POST", body: JSON.stringify({ ...bomb, tasks: [planTask("T1", { scope: ["src/{a,b}/**"] })] }) }), planEditInput);
    await editPlan(db, run.id, sane, null);
    expect((await taskRows(run.id)).map((t) => [t.key, t.scope])).toEqual([["T1", ["src/{a,b}/**"]]]);
  });

  it("starts nothing before approval; approval moves the run to running and asks the scheduler", async () => {
    const run = await awaitingRun();
    expect(await boss.findJobs("run.schedule", { data: { runId: run.id } })).toHaveLength(0);
    expect((await taskRows(run.id)).every((t) => t.status === "waiting")).toBe(true);
    await approvePlan(db, boss, run.id, "u2");
    const [row] = await db.select().from(runs).where(eq(runs.id, run.id));
    expect(row?.status).toBe("running");
    expect((await db.select().from(approvals).where(eq(approvals.runId, run.id)))[0]).toMatchObject({ status: "approved", decidedBy: "u2" });
    expect(await boss.findJobs("run.schedule", { data: { runId: run.id } })).toHaveLength(1);
    expect(await eventTypes(run.id)).toEqual(["run.status_changed", "plan.approved"]);
    await expect(approvePlan(db, boss, run.id, "u2")).rejects.toMatchObject({ code: "state_conflict" });
  });

  it("gets its own heartbeat schedule once running, which removes itself once the run is over", async () => {
    const run = await awaitingRun();
    await approvePlan(db, boss, run.id, null);
    expect(await boss.getSchedule("run.heartbeat", run.id)).toBeNull();
    await runSchedule.handle({ db, boss, runnerId: "test", signal: new AbortController().signal }, { runId: run.id }, { id: "s", retryCount: 0 });
    expect(await boss.getSchedule("run.heartbeat", run.id)).toMatchObject({ cron: "*/10 * * * *", data: { runId: run.id, trigger: "schedule" } });
    await db.update(runs).set({ status: "cancelled" }).where(eq(runs.id, run.id));
    const ctx = { db, boss, runnerId: "test", signal: new AbortController().signal };
    await runHeartbeat.handle(ctx, { runId: run.id, trigger: "schedule" }, { id: "j", retryCount: 0 });
    expect(await boss.getSchedule("run.heartbeat", run.id)).toBeNull();
    expect(heartbeatCron(15)).toBe("*/15 * * * *");
    expect(heartbeatCron(120)).toBe("0 */2 * * *");
    expect(heartbeatCron(1440)).toBe("0 0 * * *");
  });
});

describe("a high-risk plan", () => {
  it("leaves no approval pending once approved", async () => {
    const run = await awaitingRun(undefined, "risk");
    await approvePlan(db, boss, run.id, "u2");
    expect((await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]?.status).toBe("running");
    expect((await db.select().from(approvals).where(eq(approvals.runId, run.id))).map((a) => [a.kind, a.status, a.decidedBy])).toEqual([["risk", "approved", "u2"]]);
  });

  it("has its risk approval declined by a re-plan", async () => {
    const run = await awaitingRun(undefined, "risk");
    await requestReplan(db, boss, run.id, "Less risk, please.", "u3");
    expect((await db.select().from(approvals).where(eq(approvals.runId, run.id))).map((a) => [a.kind, a.status])).toEqual([["risk", "rejected"]]);
  });

  it("cannot be approved when its approval was already decided: zero rows is a conflict, and the run stays waiting", async () => {
    const run = await awaitingRun(undefined, "risk");
    await db.update(approvals).set({ status: "rejected" }).where(eq(approvals.runId, run.id));
    await expect(approvePlan(db, boss, run.id, "u2")).rejects.toMatchObject({ code: "state_conflict" });
    await expect(requestReplan(db, boss, run.id, "again", "u2")).rejects.toMatchObject({ code: "state_conflict" });
    expect((await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]?.status).toBe("awaiting_approval");
    expect(await boss.findJobs("run.schedule", { data: { runId: run.id } })).toHaveLength(0);
  });
});

describe("retrying a task", () => {
  it("gives a blocked task a fresh attempt, and refuses tasks that are not blocked or failed", async () => {
    const run = await seedRun(db, { status: "running" });
    const [blocked] = await db.insert(tasks).values({ runId: run.id, key: "T1", title: "t", goal: "g", status: "blocked", currentAttempt: 2, holdReason: "verification failed" }).returning();
    const [done] = await db.insert(tasks).values({ runId: run.id, key: "T2", title: "t", goal: "g", status: "done", currentAttempt: 1 }).returning();
    expect(await retryTask(db, boss, blocked!.id, "u1")).toEqual({ attempt: 3, runId: run.id });
    expect((await taskRows(run.id))[0]).toMatchObject({ status: "ready", currentAttempt: 3, holdReason: null });
    expect(await boss.findJobs("task.run", { data: { taskId: blocked!.id, attempt: 3 } })).toHaveLength(1);
    await expect(retryTask(db, boss, done!.id, "u1")).rejects.toMatchObject({ code: "state_conflict" });
  });
});

describe("re-planning", () => {
  it("goes back to the manager with the human's comment", async () => {
    const run = await awaitingRun();
    await requestReplan(db, boss, run.id, "Split T1 in two.", "u3");
    expect((await db.select({ status: runs.status }).from(runs).where(eq(runs.id, run.id)))[0]?.status).toBe("planning");
    expect(await boss.findJobs("run.plan", { data: { runId: run.id, comment: "Split T1 in two." } })).toHaveLength(1);
    expect((await db.select().from(approvals).where(eq(approvals.runId, run.id)))[0]).toMatchObject({ status: "rejected", decisionNote: "Split T1 in two." });
  });
});

describe("scheduling an approved run", () => {
  it("starts T1 and T4 at concurrency 2, holds T2 and T3 with their reasons, and is idempotent", async () => {
    const run = await seedRun(db, { status: "running", settings: { ...defaultRunSettings(), concurrency: 2 } });
    await db.transaction((tx) =>
      replaceProposedTasks(tx, run.id, [
        planTask("T1", { scope: ["src/auth/**"] }),
        planTask("T2", { dependsOn: ["T1"], scope: ["src/api/**"] }),
        planTask("T3", { scope: ["src/auth/session.ts"] }),
        planTask("T4", { scope: ["docs/**"] }),
      ]),
    );
    const ctx = { db, boss, runnerId: "test", signal: new AbortController().signal };
    await runSchedule.handle(ctx, { runId: run.id }, { id: "j", retryCount: 0 });
    const rows = await taskRows(run.id);
    expect(rows.map((t) => [t.key, t.status, t.currentAttempt, t.holdReason])).toEqual([
      ["T1", "ready", 1, null],
      ["T2", "waiting", 0, "waits for T1"],
      ["T3", "waiting", 0, "overlaps src/auth/session.ts with T1 (src/auth/**)"],
      ["T4", "ready", 1, null],
    ]);
    const jobs = await boss.findJobs<{ taskId: string; attempt: number }>("task.run");
    const started = jobs.filter((job) => rows.some((t) => t.id === job.data.taskId));
    expect(started.map((job) => rows.find((t) => t.id === job.data.taskId)?.key).sort()).toEqual(["T1", "T4"]);
    expect(started.every((job) => job.data.attempt === 1)).toBe(true);

    await runSchedule.handle(ctx, { runId: run.id }, { id: "j2", retryCount: 0 });
    expect((await boss.findJobs<{ taskId: string }>("task.run")).filter((job) => rows.some((t) => t.id === job.data.taskId))).toHaveLength(2);
    expect((await eventTypes(run.id)).filter((type) => type === "task.held")).toHaveLength(2);
  });

  it("does nothing while the run is not running (before approval, paused)", async () => {
    const run = await awaitingRun();
    await runSchedule.handle({ db, boss, runnerId: "test", signal: new AbortController().signal }, { runId: run.id }, { id: "j", retryCount: 0 });
    expect((await taskRows(run.id)).every((t) => t.status === "waiting" && t.currentAttempt === 0)).toBe(true);
  });
});
