import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { createBoss } from "../lib/jobs/boss";
import { runHeartbeat } from "../worker-runner/jobs/run-heartbeat";
import { record } from "./figures";
import { seedBoard } from "./seed-board";
import { percentile } from "./stats";

/**
 * One heartbeat pass over `count` active runs (each a small board: running,
 * waiting, blocked and done tasks, an open pull request): the time from the
 * first run's heartbeat to the last one's commit, on its own embedded
 * PostgreSQL. No model is set up, so no manager judgment runs: this is the
 * pass's own cost (observe, decide, store, enqueue PR syncs).
 */
export async function benchHeartbeats(count = 500, passes = 3) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-heartbeat-"));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  try {
    await migrateDatabase(server.url);
    const database = createDb(server.url, { max: 6, name: "bench-heartbeat" });
    const boss = createBoss(server.url, "web");
    await boss.start();
    const runIds: string[] = [];
    for (let i = 0; i < count; i++) runIds.push((await seedBoard(database.db, 8)).runId);
    const ctx = { db: database.db, boss, runnerId: "bench-runner", signal: new AbortController().signal };
    const times: number[] = [];
    for (let pass = 0; pass < passes; pass++) {
      const started = performance.now();
      await runHeartbeat.batch!.handle(
        ctx,
        runIds.map((runId) => ({ runId, trigger: "schedule" as const })),
      );
      times.push(performance.now() - started);
    }
    const median = percentile(times, 50);
    console.log(`heartbeat pass over ${count} active runs (${passes} passes, its own PostgreSQL, no model):`);
    console.log(`  one pass: ${times.map((time) => `${(time / 1000).toFixed(2)} s`).join(", ")}  (median ${(median / 1000).toFixed(2)} s)`);
    record("one heartbeat pass over 500 active runs", `median ${(median / 1000).toFixed(2)} s`, "< 1 s", median < 1000);
    await boss.stop({ graceful: false, close: true });
    await database.close();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
