import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { type EmbeddedPostgres, freePort, startEmbeddedPostgres } from "../../db/embedded";
import { migrateDatabase } from "../../db/migrate";
import { attempts, runEvents, tasks } from "../../db/schema";
import { WORKER_SCENARIOS } from "../../e2e/scripted-model/scenarios/workers";
import { startScriptedModel } from "../../e2e/scripted-model/server";
import { createApiToken } from "../../lib/auth/api-tokens";
import { createAuth } from "../../lib/auth/auth";
import { createUser } from "../../lib/auth/create-user";
import { createBoss } from "../../lib/jobs/boss";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { seedScenarioTask } from "../support/factories";
import { useRunnerProcesses } from "../support/runners";
import { openSocket, startSocketNode, subscribe } from "../support/socket-node";
import { until } from "../support/workers";

/**
 * Issue 14, acceptance criterion 6: PostgreSQL stops for 10 s while a worker
 * is mid-turn. The runner's writes wait for it and go through once it is back;
 * the web's realtime half reconnects by itself; a socket client sees every
 * event of the run once, in order; the task is done without a human.
 * Its own PostgreSQL (the shared test server must not go down), restarted on
 * the same port, as a restarted or failed-over database would be.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-outage-"));
const runnerDir = mkdtempSync(path.join(os.tmpdir(), "foreman-outage-runner-"));
const port = await freePort();
let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port });
await migrateDatabase(server.url);
const database = createDb(server.url, { max: 4, name: "test" });
const model = await startScriptedModel({ scenarios: WORKER_SCENARIOS });
const config = { secret: "s".repeat(48), publicUrl: "http://127.0.0.1:3999" };
const web = await startSocketNode(server.url, config);
const startRunner = useRunnerProcesses({ databaseUrl: server.url, modelBaseUrl: model.baseUrl });
afterAll(async () => {
  await web.close().catch(() => {});
  await database.close().catch(() => {});
  await model.close();
  await server.stop();
  for (const dir of [dataDir, runnerDir]) rmSync(dir, { recursive: true, force: true });
});

describe("a database outage mid-run", () => {
  it("PostgreSQL stopped for 10 s mid-turn: runner and web reconnect, the socket sees every event once and in order, and the task is done", async () => {
    const runner = startRunner({ dataDir: runnerDir });
    await runner.id();
    const auth = createAuth(database.db, config);
    const user = await createUser(database.db, auth, { email: "outage@example.test", name: "Olga", password: "outage password 1", role: "operator" });
    const token = await createApiToken(database.db, user.id, "watcher");
    const { run, task } = await seedScenarioTask(database.db, "steady-worker");
    const watcher = await openSocket(web.url, { authorization: `Bearer ${token.token}` });
    expect(await subscribe(watcher, run.id)).toMatchObject({ ok: true });
    const boss = createBoss(server.url, "web");
    await boss.start();
    await startTaskAttempt(database.db, boss, task.id);
    await boss.stop({ graceful: false, close: true });

    const eventsOf = () => database.db.select({ seq: runEvents.seq, type: runEvents.type }).from(runEvents).where(eq(runEvents.runId, run.id)).orderBy(asc(runEvents.seq));
    await until(async () => (await eventsOf()).some((row) => row.type === "agent.command_started") || null, `the worker's first wait:\n${runner.output()}`, 120_000);

    // The outage: ten seconds with no database at all, mid-turn.
    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    server = await startEmbeddedPostgres({ dataDir, port });

    await until(
      async () => {
        const [row] = await database.db.select().from(tasks).where(eq(tasks.id, task.id));
        if (row!.status === "blocked") throw new Error(`the task was blocked: ${row!.holdReason}\n${runner.output()}`);
        return row!.status === "done" || null;
      },
      `the task to be done:\n${runner.output()}`,
      180_000,
    );
    // The run goes on writing (scheduling after the task): compared once the socket has caught up with the table.
    let stored: number[] = [];
    await until(
      async () => {
        stored = (await eventsOf()).map((row) => row.seq);
        return watcher.seqs.length >= stored.length || null;
      },
      "the socket to catch up",
      30_000,
    );
    expect(watcher.seqs.slice(0, stored.length)).toEqual(stored);
    expect(new Set(watcher.seqs).size).toBe(watcher.seqs.length);
    // What the worker did during the outage was stored once it was back: every turn event of the attempt is there.
    const types = (await eventsOf()).map((row) => row.type);
    expect(types.filter((type) => type === "agent.command_started").length).toBeGreaterThanOrEqual(4);
    expect(types).toContain("agent.turn_completed");
    const [attempt] = await database.db.select().from(attempts).where(eq(attempts.taskId, task.id));
    expect(attempt).toMatchObject({ status: "completed" });
    expect(runner.child.exitCode).toBeNull();
    watcher.socket.close();
  });
});
