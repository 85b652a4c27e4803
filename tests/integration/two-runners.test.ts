import { eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { attempts, heartbeats } from "../../db/schema";
import { createBoss } from "../../lib/jobs/boss";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { runTask } from "../../worker-runner/jobs/run-task";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { workQueues } from "../../worker-runner/work-queues";
import { seedRun } from "../support/factories";
import { until, useWorkerHarness } from "../support/workers";

const harness = await useWorkerHarness();
const { db } = harness;
// A second runner: its own pool, its own pg-boss, its own agent runtime on the same machine.
const other = createDb(harness.database.url, { max: 4, name: "runner-b" });
const bosses = [createBoss(harness.database.url, "runner"), createBoss(harness.database.url, "runner")];
afterAll(async () => {
  for (const boss of bosses) await boss.stop({ graceful: false, close: true });
  await other.close();
});

describe("two runners at once", () => {
  it("never execute the same heartbeat or task job twice", async () => {
    const contexts = [
      { db, boss: bosses[0]!, runnerId: "runner-a", signal: new AbortController().signal, agents: harness.runtime },
      { db: other.db, boss: bosses[1]!, runnerId: "runner-b", signal: new AbortController().signal, agents: harness.ctxWith({}).runtime },
    ];
    for (const [i, boss] of bosses.entries()) {
      await boss.start();
      await workQueues(boss, contexts[i]!, [runHeartbeat, runTask]);
    }
    const runIds = await Promise.all(Array.from({ length: 6 }, async () => (await seedRun(db, { status: "running" })).id));
    const tasks = await Promise.all([0, 1].map(() => harness.seedWorkerTask({ scenario: "honest-worker", currentAttempt: 1 })));
    for (const runId of runIds) await bosses[0]!.send("run.heartbeat", { runId, trigger: "schedule" });
    for (const { task } of tasks) await bosses[1]!.send("task.run", { taskId: task.id, attempt: 1 });

    await until(async () => (await db.select().from(heartbeats).where(inArray(heartbeats.runId, runIds))).length === 6 || null, "six heartbeats");
    await until(async () => {
      const rows = await Promise.all(tasks.map(({ task }) => harness.task(task.id)));
      return rows.every((row) => row.status === "done") || null;
    }, "both tasks done", 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a duplicate to show up

    const beats = await db.select({ runId: heartbeats.runId, runnerId: heartbeats.runnerId }).from(heartbeats).where(inArray(heartbeats.runId, runIds));
    expect(beats).toHaveLength(6);
    expect(new Set(beats.map((beat) => beat.runId)).size).toBe(6);
    for (const { task } of tasks) {
      expect(await db.select().from(attempts).where(eq(attempts.taskId, task.id))).toHaveLength(1);
    }
  });

  it("let only one of them claim an attempt when both get it", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "honest-worker", currentAttempt: 1 });
    const outcomes = await Promise.all([
      runTaskAttempt({ db, runtime: harness.runtime, runnerId: "runner-a" }, { taskId: task.id, attempt: 1 }),
      runTaskAttempt({ db: other.db, runtime: harness.ctxWith({}).runtime, runnerId: "runner-b" }, { taskId: task.id, attempt: 1 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["done", "skipped"]);
    expect(await db.select().from(attempts).where(eq(attempts.taskId, task.id))).toHaveLength(1);
  });
});
