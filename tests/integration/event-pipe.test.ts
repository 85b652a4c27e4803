import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { runEvents, runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import type { RunEvent } from "../../lib/events/types";
import { attachEventHub, type EventHub } from "../../lib/realtime/event-hub";
import { useTestDatabase } from "../support/db";
import { seedRun } from "../support/factories";

const database = await useTestDatabase();
let http: HttpServer;
let hub: EventHub;
let url: string;
// The runner's side: its own pool, as in production.
const runner = createDb(database.url, { max: 4, name: "runner-test" });

beforeAll(async () => {
  http = createServer();
  const io = new Server(http, { serveClient: false });
  hub = await attachEventHub(io, {
    db: database.db,
    sql: database.sql,
    authorize: async (_socket, runId) => {
      const [run] = await database.db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
      return Boolean(run);
    },
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await hub.close();
  await new Promise((resolve) => http.close(resolve));
  await runner.close();
});

/** A client that subscribes and records what it receives. */
async function subscribe(runId: string, after: number, latest?: number) {
  const socket: Socket = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  const received: RunEvent[] = [];
  socket.on("event", (event: RunEvent) => received.push(event));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  const reply = await socket.emitWithAck("subscribe", { runId, after, ...(latest === undefined ? {} : { latest }) });
  return { socket, received, reply: reply as { ok: boolean; error?: string; replayedAfter?: number } };
}

/** Appends `count` notes from `writers` concurrent runner transactions. */
async function appendConcurrently(runId: string, count: number, writers = 4, label = "n") {
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) {
        const index = next++;
        await runner.db.transaction(async (tx) => {
          await appendEvent(tx, { runId, payload: { type: "run.note", level: "info", message: `${label}${index}` } });
        });
      }
    }),
  );
}

async function storedSeqs(runId: string): Promise<number[]> {
  const rows = await database.db.select({ seq: runEvents.seq }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(runEvents.seq);
  return rows.map((row) => row.seq);
}

async function until(condition: () => boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const seqsOf = (events: RunEvent[]) => events.map((event) => event.seq);

describe("the event pipe (runner transaction → NOTIFY → socket.io)", () => {
  it("delivers concurrent appends in seq order, each once", async () => {
    const run = await seedRun(database.db);
    await appendConcurrently(run.id, 5, 1, "before");
    const client = await subscribe(run.id, 0);
    expect(client.reply).toEqual({ ok: true });

    await appendConcurrently(run.id, 200, 4);
    const stored = await storedSeqs(run.id);
    expect(stored).toHaveLength(205);
    await until(() => client.received.length >= stored.length, "all events");
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for any duplicate to show up
    expect(seqsOf(client.received)).toEqual(stored);
    expect(client.received.every((event) => event.runId === run.id && event.type === "run.note")).toBe(true);
    client.socket.disconnect();
  });

  it("replays only the latest events to a page that asks for them, says where the replay began, and streams on from there", async () => {
    const run = await seedRun(database.db);
    await appendConcurrently(run.id, 30, 1, "old");
    const before = await storedSeqs(run.id);
    const client = await subscribe(run.id, 0, 10);
    expect(client.reply).toEqual({ ok: true, replayedAfter: before.at(-11) });
    await appendConcurrently(run.id, 5, 1, "new");
    const stored = await storedSeqs(run.id);
    await until(() => client.received.length >= 15, "the latest ten and the new five");
    expect(seqsOf(client.received)).toEqual(stored.slice(-15));
    client.socket.disconnect();
  });

  it("replays what a client missed after it reconnects with `after`, with no gap and no duplicate", async () => {
    const run = await seedRun(database.db);
    const first = await subscribe(run.id, 0);
    await appendConcurrently(run.id, 60, 3, "a");
    await until(() => first.received.length >= 30, "the first half");
    first.socket.disconnect();
    const seen = [...first.received];
    const lastSeen = seen.at(-1)!.seq;

    // Written while the client is away, and while it is coming back.
    await appendConcurrently(run.id, 40, 3, "b");
    const second = await subscribe(run.id, lastSeen);
    await appendConcurrently(run.id, 40, 3, "c");

    const stored = await storedSeqs(run.id);
    expect(stored).toHaveLength(140);
    await until(() => seen.length + second.received.length >= stored.length, "the rest");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...seqsOf(seen), ...seqsOf(second.received)]).toEqual(stored);
    second.socket.disconnect();
  });

  it("keeps clients of different runs apart", async () => {
    const [a, b] = [await seedRun(database.db), await seedRun(database.db)];
    const clientA = await subscribe(a.id, 0);
    const clientB = await subscribe(b.id, 0);
    await appendConcurrently(a.id, 10, 2);
    await appendConcurrently(b.id, 3, 1);
    await until(() => clientA.received.length === 10 && clientB.received.length === 3, "both runs");
    expect(clientA.received.every((event) => event.runId === a.id)).toBe(true);
    expect(clientB.received.every((event) => event.runId === b.id)).toBe(true);
    clientA.socket.disconnect();
    clientB.socket.disconnect();
  });

  it("never delivers an event whose transaction rolled back", async () => {
    const run = await seedRun(database.db);
    const client = await subscribe(run.id, 0);
    await expect(
      runner.db.transaction(async (tx) => {
        await appendEvent(tx, { runId: run.id, payload: { type: "run.note", level: "info", message: "rolled back" } });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await appendConcurrently(run.id, 1, 1, "kept");
    await until(() => client.received.length === 1, "the committed event");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.received.map((event) => event.payload.message)).toEqual(["kept0"]);
    client.socket.disconnect();
  });

  it("catches up on events committed while its LISTEN connection was down", async () => {
    const run = await seedRun(database.db);
    const client = await subscribe(run.id, 0);
    const terminated = await runner.db.execute<{ ok: boolean }>(
      sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`,
    );
    expect(terminated.map((row) => row.ok)).toEqual([true]);
    await appendConcurrently(run.id, 20, 2);
    await until(() => client.received.length === 20, "events after the listener reconnected", 30_000);
    expect(seqsOf(client.received)).toEqual(await storedSeqs(run.id));
    client.socket.disconnect();
  });

  it("refuses subscriptions to unknown runs and malformed messages", async () => {
    const unknown = await subscribe("00000000-0000-4000-8000-000000000000", 0);
    expect(unknown.reply).toEqual({ ok: false, error: "not allowed to watch this run" });
    const malformed = await unknown.socket.emitWithAck("subscribe", { runId: "nope" });
    expect(malformed).toMatchObject({ ok: false });
    unknown.socket.disconnect();
  });
});
