import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
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

/**
 * `npm run bench`: prints numbers, asserts nothing.
 * - start-up: `npm start` to a healthy /api/health, cold (new data dir) and warm.
 * - event latency: runner commit → socket.io client, at a steady rate, next to the
 *   raw NOTIFY → LISTEN floor measured on the same server in the same run.
 */
const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(2)} ms`;
const sleep = (time: number) => new Promise((resolve) => setTimeout(resolve, time));

async function startUntilHealthy(dataDir: string, port: number) {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", FOREMAN_DATA_DIR: dataDir, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let gone = false;
  const exited = new Promise((resolve) => child.once("exit", resolve)).then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error("npm start exited before it was healthy (its errors are above)");
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) break;
    } catch {
      // not yet
    }
    if (performance.now() - started > 180_000) {
      process.kill(-child.pid!, "SIGINT");
      throw new Error("npm start was not healthy within 180 s");
    }
    await sleep(50);
  }
  const elapsed = performance.now() - started;
  process.kill(-child.pid!, "SIGINT");
  await exited;
  return elapsed;
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

async function benchEventLatency(rate = 50, count = 500) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, ephemeral: true });
  try {
    await migrateDatabase(server.url);
    const web = createDb(server.url, { max: 5, name: "bench-web" });
    const runner = createDb(server.url, { max: 2, name: "bench-runner" });
    const [repository] = await web.db.insert(repositories).values({ name: "bench", path: "/tmp" }).returning();
    const [run] = await web.db.insert(runs).values({ repositoryId: repository!.id, title: "bench", scope: "bench", settings: defaultRunSettings() }).returning();

    // Floor: a bare NOTIFY from one connection to a LISTEN on another.
    const listener = postgres(server.url, { max: 1, onnotice: () => {} });
    const sender = postgres(server.url, { max: 1, onnotice: () => {} });
    const floor: number[] = [];
    const pending = new Map<string, number>();
    await listener.listen("bench_floor", (payload) => {
      const sent = pending.get(payload);
      if (sent !== undefined) floor.push(performance.now() - sent);
    });
    for (let i = 0; i < count; i++) {
      pending.set(String(i), performance.now());
      await sender`select pg_notify('bench_floor', ${String(i)})`;
      await sleep(1000 / rate);
    }
    await sleep(200);

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
    console.log(`  raw NOTIFY → LISTEN floor:        p50 ${ms(percentile(floor, 50))}  p99 ${ms(percentile(floor, 99))}  (${floor.length} received)`);
    console.log(`  commit → socket.io client (pipe): p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}  (${latencies.length} received)`);

    socket.disconnect();
    await hub.close();
    await new Promise((resolve) => http.close(resolve));
    await Promise.all([listener.end(), sender.end(), web.close(), runner.close()]);
  } finally {
    await server.stop();
  }
}

if (wants("events")) await benchEventLatency();
if (wants("startup")) await benchStartup();
