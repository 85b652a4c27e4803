import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createDb } from "../db/client";
import { env } from "../lib/env";
import { createBoss } from "../lib/jobs/boss";
import { watchSupervisor } from "../lib/server/supervised";
import { exitWith } from "../lib/shared/fatal";
import { createAgentRuntime } from "./codex/runtime";
import { listenForControl } from "./control";
import { listenForDeliveries } from "./deliveries";
import { JOBS } from "./jobs";
import { registerRunner } from "./lease/renew-lease";
import { takeOver } from "./lease/take-over";
import { checkOwnAttempts } from "./lease/check-own-attempts";
import { sleep } from "../lib/shared/timeout";
import { workQueues } from "./work-queues";
import { checkModel } from "../lib/model-check";
import { userLoginFile } from "./codex/codex-home";

/** How often a runner looks for work of runners whose lease expired (after its start-up sweep). */
const TAKE_OVER_EVERY_MS = 5_000;
/** Database connections a runner keeps beside one per worker (lease, sweeps, listeners, other jobs). */
const RUNNER_OWN_CONNECTIONS = 8;
/** How often a runner checks that every attempt it holds has its work behind it. */
const OWN_CHECK_EVERY_MS = 30_000;

/** The runner process: works pg-boss queues; never serves HTTP (DESIGN.md §2). */
async function main() {
  const config = env();
  if (!config.databaseUrl) throw new Error("DATABASE_URL is not set: start Foreman with `npm start`, which provides the database.");
  const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Every worker writes its events in transactions of its own; the lease, take-over sweep, own-attempt check,
  // control and deliveries listeners and the other jobs need connections beside them, or a busy runner loses its lease.
  const database = createDb(config.databaseUrl, { max: config.maxWorkers + RUNNER_OWN_CONNECTIONS, name: "runner" });
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
    codexMemoryMb: config.codexMemoryMb,
  });
  if (agents.memoryLimit.length === 0) console.warn("[runner] WARNING: prlimit (util-linux) is not installed: codex processes run without a memory limit.");
  if (agents.jail.kind !== "bwrap") console.warn(`[runner] WARNING: ${agents.jail.reason}${agents.jail.kind === "unavailable" ? " Workers will not start on this runner." : ""}`);
  const model = await checkModel({ baseUrl: config.modelBaseUrl ?? null, apiKey: config.codexApiKey ?? config.openaiApiKey ?? null, loginFile: userLoginFile() });
  if (!model.usable) console.warn(`[runner] WARNING: ${model.how}`);
  const aborter = new AbortController();
  const ctx = { db: database.db, boss, runnerId, signal: aborter.signal, agents, webhooks: { secret: config.secret, publicUrl: config.publicUrl } };
  // Set below; the lease can be lost before the rest is up.
  let stop: (why: string, code: number) => Promise<void> = async (_why, code) => process.exit(code);
  const lease = await registerRunner(
    database.db,
    { id: runnerId, version: "0.1.0", maxWorkers: config.maxWorkers, containment: agents.jail, modelNote: model.usable ? null : model.how, restartNote: config.restartNote ?? null },
    // Another runner has this runner's work now: stand down at once (a supervisor starts a fresh runner).
    (why) => void stop(`${why}; standing down`, 75),
  );

  // Before taking work, and every few seconds: work of runners that stopped answering is taken over.
  const sweep = async () => {
    for (const taken of await takeOver(database.db, boss, agents, { runnerId })) console.log(`[runner] ${taken.reason}`);
  };
  await sweep();
  const sweeper = setInterval(() => sweep().catch((error: unknown) => console.error(`[runner] take-over sweep failed: ${String(error)}`)), TAKE_OVER_EVERY_MS);
  sweeper.unref();
  const checker = setInterval(
    () =>
      checkOwnAttempts(database.db, boss, agents, { runnerId })
        .then((handed) => handed.length && console.log(`[runner] handed back ${handed.length} attempt(s) that had lost their process`))
        .catch((error: unknown) => console.error(`[runner] own-attempt check failed: ${String(error)}`)),
    OWN_CHECK_EVERY_MS,
  );
  checker.unref();

  // Pause and cancel interrupt this runner's turns; listening starts before any turn can.
  const control = await listenForControl({ db: database.db, sql: database.sql, runtime: agents });
  const deliveries = await listenForDeliveries({ db: database.db, sql: database.sql, boss });
  await workQueues(boss, ctx);
  console.log(`[runner] ${runnerId} working ${Object.keys(JOBS).join(", ")} (up to ${agents.maxWorkers} Codex workers)`);

  let stopping = false;
  stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`[runner] ${why}: handing work back`);
    const force = setTimeout(() => process.exit(code || 1), 15_000);
    force.unref();
    clearInterval(sweeper);
    clearInterval(checker);
    // No new job starts here; what is handed back below goes to another runner (or to this one restarted).
    await Promise.all(Object.keys(JOBS).map((name) => boss.offWork(name, { wait: false }).catch(() => {})));
    aborter.abort();
    // Running turns end now (SIGINT to codex); each hands its attempt back before its job returns.
    agents.turns.close("runner_stopping");
    await control.close().catch(() => {});
    for (const until = Date.now() + 8_000; agents.working.size > 0 && Date.now() < until; ) await sleep(50);
    if (code !== 75) {
      // Whatever is still held (a verification in progress) is handed back too; its commands end with this process.
      agents.working.clear();
      await checkOwnAttempts(database.db, boss, agents, { runnerId }, { settleMs: 0, why: "stopped" }).catch((error: unknown) => console.error(`[runner] could not hand work back: ${String(error)}`));
      await lease.stop().catch(() => {});
    }
    await deliveries.close().catch(() => {});
    await boss.stop({ graceful: true, timeout: 2000, close: true }).catch(() => {});
    await database.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT", 0));
  process.on("SIGTERM", () => void stop("SIGTERM", 0));
  watchSupervisor(config.supervisorPid, () => void stop("supervisor gone", 0));
}

main().catch(exitWith("runner"));
