import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createDb } from "../db/client";
import { env } from "../lib/env";
import { createBoss } from "../lib/jobs/boss";
import { watchSupervisor } from "../lib/server/supervised";
import { exitWith } from "../lib/shared/fatal";
import { recoverOrphans } from "./codex/recover-orphans";
import { createAgentRuntime } from "./codex/runtime";
import { listenForControl } from "./control";
import { listenForDeliveries } from "./deliveries";
import { JOBS } from "./jobs";
import { registerRunner } from "./liveness";
import { workQueues } from "./work-queues";
import { checkModel } from "../lib/model-check";
import { userLoginFile } from "./codex/codex-home";

/** How often a runner looks for attempts left by runners that died (after its start-up sweep). */
const ORPHAN_SWEEP_MS = 30_000;

/** The runner process: works pg-boss queues; never serves HTTP (DESIGN.md §2). */
async function main() {
  const config = env();
  if (!config.databaseUrl) throw new Error("DATABASE_URL is not set: start Foreman with `npm start`, which provides the database.");
  const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const database = createDb(config.databaseUrl, { max: 10, name: "runner" });
  const boss = createBoss(config.databaseUrl, "runner");
  boss.on("error", (error) => console.error(`[runner] jobs: ${error.message}`));
  await boss.start();
  const agents = createAgentRuntime({
    dataDir: config.dataDir,
    hostname: hostname(),
    model: config.model ?? null,
    modelBaseUrl: config.modelBaseUrl ?? null,
    apiKey: config.codexApiKey ?? config.openaiApiKey ?? null,
    maxWorkers: config.maxWorkers,
    github: { apiUrl: config.githubApiUrl, token: config.githubToken ?? null, secret: config.secret, publicUrl: config.publicUrl },
    containment: config.containment,
  });
  if (agents.jail.kind !== "bwrap") console.warn(`[runner] WARNING: ${agents.jail.reason}${agents.jail.kind === "unavailable" ? " Workers will not start on this runner." : ""}`);
  const model = await checkModel({ baseUrl: config.modelBaseUrl ?? null, apiKey: config.codexApiKey ?? config.openaiApiKey ?? null, loginFile: userLoginFile() });
  if (!model.usable) console.warn(`[runner] WARNING: ${model.how}`);
  const liveness = await registerRunner(database.db, {
    id: runnerId,
    version: "0.1.0",
    maxWorkers: config.maxWorkers,
    containment: agents.jail,
    modelNote: model.usable ? null : model.how,
  });
  const aborter = new AbortController();
  const ctx = { db: database.db, boss, runnerId, signal: aborter.signal, agents, webhooks: { secret: config.secret, publicUrl: config.publicUrl } };

  // Before taking work: agent processes left by a runner that died on this machine are stopped.
  const sweep = async () => {
    for (const orphan of await recoverOrphans(database.db, agents, { runnerId })) console.log(`[runner] ${orphan.reason}`);
  };
  await sweep();
  const sweeper = setInterval(() => sweep().catch((error: unknown) => console.error(`[runner] orphan sweep failed: ${String(error)}`)), ORPHAN_SWEEP_MS);
  sweeper.unref();

  // Pause and cancel interrupt this runner's turns; listening starts before any turn can.
  const control = await listenForControl({ db: database.db, sql: database.sql, runtime: agents });
  const deliveries = await listenForDeliveries({ db: database.db, sql: database.sql, boss });
  await workQueues(boss, ctx);
  console.log(`[runner] ${runnerId} working ${Object.keys(JOBS).join(", ")} (up to ${agents.maxWorkers} Codex workers)`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[runner] ${why}: finishing current jobs`);
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    clearInterval(sweeper);
    aborter.abort();
    // Running turns end now (SIGINT to codex) and record themselves as interrupted before the jobs return.
    agents.turns.close("runner_stopping");
    await control.close().catch(() => {});
    await deliveries.close().catch(() => {});
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
