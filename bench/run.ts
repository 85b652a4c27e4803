import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import { createDb } from "../db/client";
import { freePort, startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { runs } from "../db/schema";
import { appendEvent } from "../lib/events/append-event";
import type { RunEvent } from "../lib/events/types";
import { attachEventHub } from "../lib/realtime/event-hub";
import { defaultRunSettings } from "../lib/runs/settings";
import { repositories } from "../db/schema";
import { benchBoard, type EventLatency } from "./board";
import { benchContainment } from "./containment";
import { machine, printFigures } from "./figures";
import { benchGlobs } from "./globs";
import { benchTakeover } from "./takeover";
import { benchHeartbeats } from "./heartbeats";
import { startForeman } from "./foreman";
import { measureNotifyFloor } from "./notify-floor";
import { benchWebhook } from "./webhook";
import { benchWorkers } from "./workers";
import { ms, sleep, summarize } from "./stats";

/**
 * `npm run bench`: prints numbers, asserts nothing.
 * - start-up: `npm start` to a healthy /api/health, cold (new data dir) and warm.
 * - event latency: runner commit → socket.io client, at a steady rate, next to the
 *   raw NOTIFY → LISTEN floor measured on the same server in the same run.
 * - board (bench/board.ts): a 200-card run page rendered in Chromium, and
 *   event → card DOM latency at 50 events/s next to the floor and the pipe.
 * - webhook (bench/webhook.ts): a signed GitHub webhook to the PR's new CI
 *   state committed with its event (what the board streams), against the fake GitHub.
 * - globs (bench/globs.ts): a scope check of 10k files × 50 globs, overlap checks,
 *   and glob bombs handed to the matcher unvalidated.
 * - containment (bench/containment.ts): one command and one real codex worker
 *   turn, inside Foreman's containment layer and without it.
 * - takeover (bench/takeover.ts): a runner SIGKILLed mid-turn, to its attempt
 *   running again on another runner (median of 5), next to the lease.
 * - heartbeats (bench/heartbeats.ts): one heartbeat pass over 500 seeded runs.
 * - workers (bench/workers.ts): 4, 8, 16 and 32 concurrent Codex workers on one
 *   runner against a scripted model that takes 5–30 s per answer, streaming.
 * - the board bench also reads the snapshot API with 10 viewers at once
 *   (bench/snapshot-api.ts).
 * At the end, the figures of issue #18 with their goals and the machine.
 * `npm run bench -- events board` runs some of them.
 */
const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);

async function startUntilHealthy(dataDir: string, port: number) {
  const foreman = await startForeman(dataDir, port);
  await foreman.stop();
  return foreman.readyMs;
}

async function benchStartup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-start-"));
  try {
    const cold = await startUntilHealthy(dataDir, await freePort());
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await startUntilHealthy(dataDir, await freePort()));
    console.log(`start-up to healthy (production build present):`);
    console.log(`  cold (new data dir, initdb + migrate): ${(cold / 1000).toFixed(2)} s`);
    console.log(`  warm (data kept), 3 runs:              ${warm.map((w) => `${(w / 1000).toFixed(2)} s`).join(", ")}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchEventLatency(rate = 50, count = 500): Promise<EventLatency> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  try {
    await migrateDatabase(server.url);
    const web = createDb(server.url, { max: 5, name: "bench-web" });
    const runner = createDb(server.url, { max: 2, name: "bench-runner" });
    const [repository] = await web.db.insert(repositories).values({ name: "bench", path: "/tmp" }).returning();
    const [run] = await web.db.insert(runs).values({ repositoryId: repository!.id, title: "bench", scope: "bench", settings: defaultRunSettings() }).returning();

    // Floor: a bare NOTIFY from one connection to a LISTEN on another.
    const floor = await measureNotifyFloor(server.url, rate, count);

    // Foreman's pipe: appendEvent in a runner transaction → hub → socket.io client.
    const http = createServer();
    const io = new Server(http, { serveClient: false });
    const hub = await attachEventHub(io, { db: web.db, sql: web.sql, authorize: async () => true });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const socket = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"] });
    // The client may see an event before the runner's COMMIT returns: pair the two
    // times afterwards, and count such an event as zero latency.
    const committedAt = new Map<number, number>();
    const receivedAt = new Map<number, number>();
    socket.on("event", (event: RunEvent) => receivedAt.set(event.seq, performance.now()));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    await socket.emitWithAck("subscribe", { runId: run!.id, after: 0 });
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / rate;
      if (due > performance.now()) await sleep(due - performance.now());
      const appended = await runner.db.transaction((tx) =>
        appendEvent(tx, { runId: run!.id, payload: { type: "run.note", level: "info", message: `bench ${i}` } }),
      );
      committedAt.set(appended.seq, performance.now());
    }
    const deadline = performance.now() + 10_000;
    while (receivedAt.size < count && performance.now() < deadline) await sleep(20);
    const latencies = [...committedAt].flatMap(([seq, committed]) => {
      const received = receivedAt.get(seq);
      return received === undefined ? [] : [Math.max(0, received - committed)];
    });

    console.log(`event latency at ${rate} events/s, ${count} events:`);
    const result = { floor: summarize(floor), pipe: summarize(latencies) };
    console.log(`  raw NOTIFY → LISTEN floor:        p50 ${ms(result.floor.p50)}  p99 ${ms(result.floor.p99)}  (${result.floor.count} received)`);
    console.log(`  commit → socket.io client (pipe): p50 ${ms(result.pipe.p50)}  p99 ${ms(result.pipe.p99)}  (${result.pipe.count} received)`);

    socket.disconnect();
    await hub.close();
    await new Promise((resolve) => http.close(resolve));
    await Promise.all([web.close(), runner.close()]);
    return result;
  } finally {
    await server.stop();
  }
}

console.log(`machine: ${machine()}`);
const events = wants("events") ? await benchEventLatency() : null;
if (wants("board")) await benchBoard({ events });
if (wants("webhook")) await benchWebhook();
if (wants("startup")) await benchStartup();
if (wants("globs")) benchGlobs();
if (wants("containment")) await benchContainment();
if (wants("takeover")) await benchTakeover();
if (wants("heartbeats")) await benchHeartbeats();
if (wants("workers")) await benchWorkers();
printFigures();
