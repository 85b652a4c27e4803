import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { attempts } from "../db/schema";
import { WORKER_SCENARIOS } from "../e2e/scripted-model/scenarios/workers";
import { startScriptedModel } from "../e2e/scripted-model/server";
import { createBoss } from "../lib/jobs/boss";
import { startTaskAttempt } from "../lib/tasks/start-task-attempt";
import { seedScenarioTask } from "../tests/support/factories";
import { LEASE_MS, RENEW_EVERY_MS } from "../worker-runner/lease/renew-lease";
import { percentile, sleep } from "./stats";

const root = path.resolve(import.meta.dirname, "..");

export type Runner = { child: ChildProcess; id: Promise<string> };

/** A real runner process (`worker-runner/main.ts`) against the scripted model; `env` adds to its environment. */
export function startRunner(databaseUrl: string, modelBaseUrl: string, dataDir: string, env: Record<string, string> = {}): Runner {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "worker-runner/main.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: os.homedir(), NODE_ENV: "production", DATABASE_URL: databaseUrl, FOREMAN_DATA_DIR: dataDir, FOREMAN_MODEL_BASE_URL: modelBaseUrl, FOREMAN_MODEL: "gpt-5.5", FOREMAN_SECRET: "b".repeat(40), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const id = new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /\[runner\] (\S+) working /.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.once("exit", (code) => reject(new Error(`the runner exited (${code}) before it worked:\n${output}`)));
  });
  // A runner killed before it worked (the bench's own clean-up) is not an error of the bench.
  id.catch(() => {});
  return { child, id };
}

async function poll<T>(probe: () => Promise<T | null>, what: string, ms = 180_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Take-over after SIGKILL (issue #14): two runner processes, a worker busy in
 * a long command on one of them, that runner killed; the time until the other
 * runner holds the attempt and it is running again (its thread resumed), five
 * times, next to the lease that bounds it. Prints numbers, asserts nothing.
 */
export async function benchTakeover(rounds = 5) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-takeover-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "db"), ephemeral: true });
  const model = await startScriptedModel({ scenarios: WORKER_SCENARIOS });
  const database = createDb(server.url, { max: 4, name: "bench" });
  const boss = createBoss(server.url, "web");
  const runners: Runner[] = [];
  try {
    await migrateDatabase(server.url);
    await boss.start();
    const up = () => {
      const runner = startRunner(server.url, model.baseUrl, path.join(dir, "data"));
      runners.push(runner);
      return runner;
    };
    let pair = [up(), up()];
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const ids = await Promise.all(pair.map((runner) => runner.id));
      const { task } = await seedScenarioTask(database.db, "long-haul");
      await startTaskAttempt(database.db, boss, task.id);
      const busy = await poll(async () => {
        const [row] = await database.db.select().from(attempts).where(eq(attempts.taskId, task.id));
        return row?.status === "running" && row.pid ? row : null;
      }, "the worker to start");
      const holder = pair[ids.indexOf(busy.runnerId!)]!;
      const killedAt = Date.now();
      holder.child.kill("SIGKILL");
      await poll(async () => {
        const [row] = await database.db.select().from(attempts).where(eq(attempts.id, busy.id));
        return row?.status === "running" && row.runnerId !== busy.runnerId ? row : null;
      }, "the take-over");
      times.push(Date.now() - killedAt);
      if (round < rounds - 1) pair = [pair.find((runner) => runner !== holder)!, up()];
    }
    const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
    console.log(`take-over after SIGKILL (a worker mid-turn; two runners; ${rounds} rounds):`);
    console.log(`  kill → attempt running again on the other runner: median ${seconds(percentile(times, 50))}, min ${seconds(Math.min(...times))}, max ${seconds(Math.max(...times))}`);
    console.log(`  bound: lease ${seconds(LEASE_MS)} (renewed every ${seconds(RENEW_EVERY_MS)}) + a take-over sweep every 5 s + the resume; goal < 60 s`);
  } finally {
    for (const runner of runners) runner.child.kill("SIGKILL");
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    await database.close().catch(() => {});
    await model.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
