import "server-only";
import { sql as dsql } from "drizzle-orm";
import type { Server, Socket } from "socket.io";
import type { Db, Sql } from "../../db/client";
import { runEvents } from "../../db/schema";
import { EVENT_PAGE_SIZE, listEventsAfter, seqBeforeLatest } from "../events/list-events";
import { NOTIFY_CHANNEL, notifyPayload, type RunEvent, subscribeMessage } from "../events/types";

/**
 * Fans run events out from PostgreSQL to socket.io (DESIGN.md §2, §8).
 *
 * Every run with subscribers has a room `run:<id>` and a cursor: the last seq
 * broadcast to the room. All work for a room (catching a new subscriber up,
 * broadcasting new rows) runs on one promise chain, so a subscriber is replayed
 * exactly up to the cursor and then joins the room: no gap, no duplicate.
 * NOTIFY only says "look"; the rows are always read from the table, so a lost
 * notification delays an event but never drops it.
 */
export type Authorize = (socket: Socket, runId: string) => Promise<boolean>;

type Room = { cursor: number | null; chain: Promise<void>; members: Set<string>; pumpQueued: boolean };

export type EventHub = { close(): Promise<void>; rooms(): number };

export const roomName = (runId: string) => `run:${runId}`;

export async function attachEventHub(io: Server, deps: { db: Db; sql: Sql; authorize: Authorize }): Promise<EventHub> {
  const rooms = new Map<string, Room>();

  const enqueue = (runId: string, room: Room, work: () => Promise<void>) => {
    room.chain = room.chain.then(work).catch((error: unknown) => {
      console.error(`[events] run ${runId}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return room.chain;
  };

  const ensureCursor = async (runId: string, room: Room) => {
    if (room.cursor !== null) return room.cursor;
    const [row] = await deps.db
      .select({ max: dsql<number>`coalesce(max(${runEvents.seq}), 0)::bigint` })
      .from(runEvents)
      .where(dsql`${runEvents.runId} = ${runId}`);
    room.cursor = Number(row?.max ?? 0);
    return room.cursor;
  };

  const pump = (runId: string) => {
    const room = rooms.get(runId);
    if (!room) return Promise.resolve();
    // A burst of NOTIFYs coalesces: while a read waits its turn, it will see every row committed before it starts.
    if (room.pumpQueued) return room.chain;
    room.pumpQueued = true;
    return enqueue(runId, room, async () => {
      // Cleared before reading: a NOTIFY for a row committed during this read queues one more read.
      room.pumpQueued = false;
      let cursor = await ensureCursor(runId, room);
      for (;;) {
        // The room emptied (and may have been made anew by a new viewer, with its own chain and cursor)
        // while this loop ran: stop, or both loops would send to the same socket.io room.
        if (rooms.get(runId) !== room) return;
        const batch = await listEventsAfter(deps.db, runId, cursor);
        if (rooms.get(runId) !== room) return;
        for (const event of batch) io.to(roomName(runId)).emit("event", event);
        if (batch.length === 0) break;
        cursor = batch.at(-1)!.seq;
        room.cursor = cursor;
      }
    });
  };

  const leave = (socket: Socket, runId: string) => {
    void socket.leave(roomName(runId));
    const room = rooms.get(runId);
    if (!room) return;
    room.members.delete(socket.id);
    if (room.members.size === 0) rooms.delete(runId);
  };

  io.on("connection", (socket) => {
    const joined = new Set<string>();

    socket.on("subscribe", async (raw: unknown, ack?: (reply: unknown) => void) => {
      const reply = typeof ack === "function" ? ack : () => {};
      const parsed = subscribeMessage.safeParse(raw);
      if (!parsed.success) return reply({ ok: false, error: "subscribe needs {runId: uuid, after: number}" });
      const { runId, after, latest } = parsed.data;
      if (!(await deps.authorize(socket, runId).catch(() => false))) {
        return reply({ ok: false, error: "not allowed to watch this run" });
      }
      // A repeated subscribe restarts the replay from its own `after`.
      if (joined.has(runId)) leave(socket, runId);
      let room = rooms.get(runId);
      if (!room) {
        room = { cursor: null, chain: Promise.resolve(), members: new Set(), pumpQueued: false };
        rooms.set(runId, room);
      }
      room.members.add(socket.id);
      joined.add(runId);
      const target = room;
      // Where the replay starts: `after`, or later when `latest` cut older events off (the reply says so, so a client can re-read its snapshot).
      let replayedAfter = after;
      await enqueue(runId, target, async () => {
        const upTo = await ensureCursor(runId, target);
        if (latest !== undefined) replayedAfter = Math.max(after, await seqBeforeLatest(deps.db, runId, upTo, latest));
        let from = replayedAfter;
        while (from < upTo) {
          const page = await listEventsAfter(deps.db, runId, from);
          const inRange = page.filter((event: RunEvent) => event.seq <= upTo);
          for (const event of inRange) socket.emit("event", event);
          if (inRange.length === 0 || inRange.length < page.length || page.length < EVENT_PAGE_SIZE) break;
          from = inRange.at(-1)!.seq;
        }
        if (socket.connected) await socket.join(roomName(runId));
      });
      reply(latest === undefined ? { ok: true } : { ok: true, replayedAfter });
    });

    socket.on("unsubscribe", (raw: unknown) => {
      const parsed = subscribeMessage.pick({ runId: true }).safeParse(raw);
      if (!parsed.success || !joined.has(parsed.data.runId)) return;
      joined.delete(parsed.data.runId);
      leave(socket, parsed.data.runId);
    });

    socket.on("disconnect", () => {
      for (const runId of joined) leave(socket, runId);
      joined.clear();
    });
  });

  const listener = await deps.sql.listen(
    NOTIFY_CHANNEL,
    (payload) => {
      const parsed = notifyPayload.safeParse(safeJson(payload));
      if (parsed.success) void pump(parsed.data.runId);
    },
    // Called again after every reconnect: rows committed while the LISTEN
    // connection was down are picked up here.
    () => {
      for (const runId of rooms.keys()) void pump(runId);
    },
  );

  return {
    rooms: () => rooms.size,
    async close() {
      await listener.unlisten();
      await Promise.all([...rooms.values()].map((room) => room.chain));
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
