import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { asc, eq, inArray } from "drizzle-orm";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { createDb, type Db } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { runEvents, tasks } from "../db/schema";
import { SAMPLE_REPO_FILES } from "../e2e/scripted-model/sample-repo";
import { marker } from "../e2e/scripted-model/scenarios/workers";
import { type ScriptedModel, startScriptedModel } from "../e2e/scripted-model/server";
import type { RunEvent } from "../lib/events/types";
import { createBoss } from "../lib/jobs/boss";
import { attachEventHub } from "../lib/realtime/event-hub";
import { defaultRunSettings } from "../lib/runs/settings";
import { startTaskAttempt } from "../lib/tasks/start-task-attempt";
import type { TaskStatus } from "../lib/tasks/status";
import { makeGitRepo, seedRepository, seedRun, seedTask } from "../tests/support/factories";
import { record } from "./figures";
import { ms, percentile, sleep, summarize } from "./stats";
import { startRunner } from "./takeover";
import { cpuSeconds, watchProcessesOffThread } from "./watch-processes";
import { ANSWER_MS, BENCH_CHECK, BENCH_CHECK_SCRIPT, benchFile, benchWorkerScenario } from "./worker-script";

/**
 * A worker is stalled when it shows no sign of life for longer than this: no
 * event written for its task, and the model neither received one of its
 * requests nor ended one of its answers (an answer takes at most ANSWER_MS.max,
 * so a model that is thinking never counts as a stall).
 */
const STALL_MS = 60_000;
const FINAL: readonly TaskStatus[] = ["done", "needs_review", "blocked", "failed", "cancelled"];
const LEVEL_DEADLINE_MS = 15 * 60_000;
const MB = (kb: number) => `${Math.round(kb / 1024)} MB`;

type Level = {
  workers: number;
  wallMs: number;
  load: string;
  statuses: Record<string, number>;
  turnsCompleted: number;
  turnsFailed: number;
  largestSilenceMs: number;
  stalls: number;
  runnerCpuS: number;
  runnerPeakRssKb: number;
  codexCount: number;
  codexAtOnce: number;
  codexRssKb: number[];
  codexPrivateKb: number[];
  wrapperRssKb: number[];
  events: number;
  peakEventsPerS: number;
  toClient: ReturnType<typeof summarize>;
  /** The kinds of event among the slowest 2% to reach the client, most frequent first: where the tail comes from. */
  slowest: string;
};

/**
 * Concurrent Codex workers on one runner (issue #18): at 4, 8, 16 and 32
 * workers, one real runner process with FOREMAN_MAX_WORKERS at the level and
 * a run of that many independent tasks, each a real codex (contained) against
 * the scripted model answering in 5–30 s and streaming meanwhile. Prints the
 * runner's CPU and memory, the codex processes' memory, event throughput and
 * event → socket.io client latency per level. Asserts nothing.
 */
export async function benchWorkers(levels: readonly number[] = [4, 8, 16, 32]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-workers-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "db"), ephemeral: true });
  const model = await startScriptedModel();
  const web = createDb(server.url, { max: 4, name: "bench-web" });
  const boss = createBoss(server.url, "web");
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const results: Level[] = [];
  try {
    await migrateDatabase(server.url);
    await boss.start();
    const hub = await attachEventHub(io, { db: web.db, sql: web.sql, authorize: async () => true });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"] });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    console.log(`concurrent Codex workers on one runner (real codex, contained; scripted model answering in ${ANSWER_MS.min / 1000}–${ANSWER_MS.max / 1000} s, streaming; 3 answers a task):`);
    for (const workers of levels) {
      const level = await benchLevel({ db: web.db, boss, model, socket, databaseUrl: server.url, dataDir: path.join(dir, `data-${workers}`) }, workers);
      printLevel(level);
      results.push(level);
    }
    socket.disconnect();
    await hub.close();
  } finally {
    await new Promise((resolve) => http.close(resolve));
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    await web.close().catch(() => {});
    await model.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  recordFigure(results);
}

type Deps = { db: Db; boss: ReturnType<typeof createBoss>; model: ScriptedModel; socket: Socket; databaseUrl: string; dataDir: string };

async function benchLevel(deps: Deps, workers: number): Promise<Level> {
  const { db, model, socket } = deps;
  const repo = makeGitRepo({ ...SAMPLE_REPO_FILES, [BENCH_CHECK]: BENCH_CHECK_SCRIPT });
  const repository = await seedRepository(db, { path: repo });
  const run = await seedRun(db, { repositoryId: repository.id, status: "running", settings: { ...defaultRunSettings(), concurrency: Math.min(workers, 32) } });
  const seeded = [];
  for (let index = 1; index <= workers; index++) {
    const key = `T${index}`;
    model.add(benchWorkerScenario(workers, key, index));
    seeded.push(
      await seedTask(db, {
        runId: run.id,
        key,
        title: `Write ${benchFile(key)}`,
        kind: "code",
        goal: `${marker(`bench-${workers}-${key}`)} Write ${benchFile(key)} saying "done by ${key}" so that sh ${BENCH_CHECK} ${key} passes.`,
        scope: [benchFile(key)],
        verification: { commands: [`sh ${BENCH_CHECK} ${key}`], manual: null },
        status: "ready",
      }),
    );
  }
  const runner = startRunner(deps.databaseUrl, model.baseUrl, deps.dataDir, { FOREMAN_MAX_WORKERS: String(workers) });
  const received = new Map<number, number>();
  const onEvent = (event: RunEvent) => event.runId === run.id && received.set(event.seq, Date.now());
  socket.on("event", onEvent);
  try {
    await runner.id;
    await socket.emitWithAck("subscribe", { runId: run.id, after: 0 });
    const pid = runner.child.pid!;
    const cpuBefore = cpuSeconds(pid);
    const watch = watchProcessesOffThread(pid);
    const started = Date.now();
    for (const task of seeded) await startTaskAttempt(db, deps.boss, task.id);
    let statuses: TaskStatus[] = [];
    while (Date.now() - started < LEVEL_DEADLINE_MS) {
      statuses = (await db.select({ status: tasks.status }).from(tasks).where(eq(tasks.runId, run.id))).map((row) => row.status);
      if (statuses.every((status) => FINAL.includes(status))) break;
      await sleep(500);
    }
    const wallMs = Date.now() - started;
    const runnerCpuS = cpuSeconds(pid) - cpuBefore;
    const usage = await watch.stop();
    await sleep(500); // the last events reach the socket
    const events = await db
      .select({ seq: runEvents.seq, taskId: runEvents.taskId, type: runEvents.type, createdAt: runEvents.createdAt })
      .from(runEvents)
      .where(inArray(runEvents.taskId, seeded.map((task) => task.id)))
      .orderBy(asc(runEvents.seq));
    const latencies = events.flatMap((event) => (received.has(event.seq) ? [{ type: event.type, ms: Math.max(0, received.get(event.seq)! - event.createdAt.getTime()) }] : []));
    const silences = seeded.map((task, index) => largestSilence(events.filter((event) => event.taskId === task.id).map((event) => event.createdAt.getTime()), model, `bench-${workers}-T${index + 1}`));
    const codex = [...usage.codex.values()];
    return {
      workers,
      wallMs,
      load: os.loadavg().map((value) => value.toFixed(2)).join(" "),
      statuses: Object.fromEntries([...new Set(statuses)].map((status) => [status, statuses.filter((item) => item === status).length])),
      turnsCompleted: events.filter((event) => event.type === "agent.turn_completed").length,
      turnsFailed: events.filter((event) => event.type === "agent.turn_failed" || event.type === "agent.turn_interrupted").length,
      largestSilenceMs: Math.max(0, ...silences),
      stalls: silences.filter((silence) => silence > STALL_MS).length,
      runnerCpuS,
      runnerPeakRssKb: usage.runnerPeakRssKb,
      codexCount: codex.length,
      codexAtOnce: usage.codexAtOnce,
      codexRssKb: codex.map((peak) => peak.rssKb),
      codexPrivateKb: codex.map((peak) => peak.privateKb),
      wrapperRssKb: [...usage.wrappers.values()].map((peak) => peak.rssKb),
      events: events.length,
      peakEventsPerS: peakPerSecond(events.map((event) => event.createdAt.getTime())),
      toClient: summarize(latencies.map(({ ms }) => ms)),
      slowest: slowestKinds(latencies),
    };
  } finally {
    socket.off("event", onEvent);
    runner.child.kill("SIGTERM");
    const exited = new Promise((resolve) => runner.child.once("exit", resolve));
    if ((await Promise.race([exited, sleep(20_000).then(() => "timeout")])) === "timeout") runner.child.kill("SIGKILL");
    rmSync(repo, { recursive: true, force: true });
  }
}

/** The longest time between signs of life of one worker: its events, and its requests reaching and leaving the model. */
function largestSilence(eventTimes: number[], model: ScriptedModel, scenario: string): number {
  const signs = [...eventTimes];
  for (const request of model.requestsFor(scenario)) signs.push(request.at.getTime(), ...(request.endedAt ? [request.endedAt.getTime()] : []));
  signs.sort((a, b) => a - b);
  let largest = 0;
  for (let i = 1; i < signs.length; i++) largest = Math.max(largest, signs[i]! - signs[i - 1]!);
  return largest;
}

function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

const median = (values: number[]) => (values.length ? percentile(values, 50) : 0);

function printLevel(level: Level) {
  const seconds = level.wallMs / 1000;
  const statuses = Object.entries(level.statuses).map(([status, count]) => `${count} ${status}`).join(", ");
  console.log(`  ${level.workers} workers (load ${level.load}): ${seconds.toFixed(1)} s wall; tasks ${statuses}`);
  console.log(`      turns: ${level.turnsCompleted} completed, ${level.turnsFailed} failed; longest silence of a worker ${(level.largestSilenceMs / 1000).toFixed(1)} s → ${level.stalls} stalls (> ${STALL_MS / 1000} s)`);
  console.log(`      runner: CPU ${level.runnerCpuS.toFixed(1)} s user+sys = ${((100 * level.runnerCpuS) / seconds).toFixed(1)}% of one core; peak RSS ${MB(level.runnerPeakRssKb)}`);
  console.log(
    `      codex: ${level.codexCount} processes, ${level.codexAtOnce} at once; peak RSS each median ${MB(median(level.codexRssKb))}, max ${MB(Math.max(0, ...level.codexRssKb))}; anonymous (its own) median ${MB(median(level.codexPrivateKb))}`,
  );
  console.log(`      codex wrappers (Node, one per codex): peak RSS each median ${MB(median(level.wrapperRssKb))} (${level.wrapperRssKb.length} seen)`);
  console.log(`      events: ${level.events} (${(level.events / seconds).toFixed(1)}/s, peak ${level.peakEventsPerS} in one second); run_events.created_at (runner's transaction) → socket.io client: p50 ${ms(level.toClient.p50)}, p99 ${ms(level.toClient.p99)} (${level.toClient.count} received)`);
  if (level.slowest) console.log(`      slowest 2% to the client: ${level.slowest}`);
}

function recordFigure(results: Level[]) {
  const top = results.at(-1);
  if (!top) return;
  const done = top.statuses.done ?? 0;
  const value =
    `${top.workers} workers: ${done}/${top.workers} tasks done, ${top.turnsFailed} failed turns, ${top.stalls} stalls; ` +
    `runner ${MB(top.runnerPeakRssKb)} peak, ${((100 * top.runnerCpuS) / (top.wallMs / 1000)).toFixed(1)}% CPU; codex ${MB(median(top.codexPrivateKb))} own (${MB(median(top.codexRssKb))} RSS) each`;
  record("concurrent Codex workers one runner sustains", value, "32 on this machine kind", top.workers >= 32 && done === top.workers && top.turnsFailed === 0 && top.stalls === 0);
}

/** "agent.turn_completed ×4 (1.2 s), task.committed ×2 (0.9 s)": the kinds among the slowest 2%, with their worst time. */
function slowestKinds(latencies: { type: string; ms: number }[]): string {
  const sorted = [...latencies].sort((a, b) => b.ms - a.ms).slice(0, Math.max(1, Math.ceil(latencies.length * 0.02)));
  const kinds = new Map<string, { count: number; worst: number }>();
  for (const { type, ms: time } of sorted) {
    const kind = kinds.get(type) ?? { count: 0, worst: 0 };
    kinds.set(type, { count: kind.count + 1, worst: Math.max(kind.worst, time) });
  }
  return [...kinds].sort((a, b) => b[1].count - a[1].count).map(([type, { count, worst }]) => `${type} ×${count} (${ms(worst)})`).join(", ");
}
