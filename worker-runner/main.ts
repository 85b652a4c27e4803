import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createDb } from "../db/client";
import { env } from "../lib/env";
import { createBoss } from "../lib/jobs/boss";
import { QUEUES } from "../lib/jobs/queues";
import { watchSupervisor } from "../lib/server/supervised";
import { exitWith } from "../lib/shared/fatal";
import { JOBS } from "./jobs";
import type { JobDefinition } from "./jobs/types";
import { registerRunner } from "./liveness";

/** The runner process: works pg-boss queues; never serves HTTP (DESIGN.md §2). */
async function main() {
  const config = env();
  if (!config.databaseUrl) throw new Error("DATABASE_URL is not set: start Foreman with `npm start`, which provides the database.");
  const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const database = createDb(config.databaseUrl, { max: 10, name: "runner" });
  const boss = createBoss(config.databaseUrl, "runner");
  boss.on("error", (error) => console.error(`[runner] jobs: ${error.message}`));
  await boss.start();
  const liveness = await registerRunner(database.db, { id: runnerId, version: "0.1.0", maxWorkers: config.maxWorkers });
  const aborter = new AbortController();
  const ctx = { db: database.db, boss, runnerId, signal: aborter.signal };

  for (const definition of Object.values(JOBS) as JobDefinition[]) {
    const schema = QUEUES[definition.name];
    await boss.work(
      definition.name,
      { localConcurrency: definition.concurrency, pollingIntervalSeconds: 2, includeMetadata: true },
      async ([job]) => {
        if (!job) return;
        const payload = schema.safeParse(job.data);
        // A malformed payload will never succeed: fail it without retrying forever.
        if (!payload.success) throw new Error(`bad ${definition.name} payload: ${payload.error.message}`);
        await definition.handle(ctx, payload.data as never, { id: job.id, retryCount: job.retryCount });
      },
    );
  }
  console.log(`[runner] ${runnerId} working ${Object.keys(JOBS).join(", ")}`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[runner] ${why}: finishing current jobs`);
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    aborter.abort();
    // Graceful: jobs in flight get up to 5 s, then pg-boss releases them for retry.
    await boss.stop({ graceful: true, timeout: 5000, close: true }).catch(() => {});
    await liveness.stop().catch(() => {});
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  watchSupervisor(config.supervisorPid, () => void stop("supervisor gone"));
}

main().catch(exitWith("runner"));
