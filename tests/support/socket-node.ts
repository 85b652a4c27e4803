import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { createDb } from "../../db/client";
import { createAuth } from "../../lib/auth/auth";
import { attachEventHub } from "../../lib/realtime/event-hub";
import { attachSocketAccess } from "../../lib/realtime/socket-access";

/**
 * One web node's realtime half, as server.ts wires it: its own database pool
 * and LISTEN connections, socket access and the event hub. Two of these on one
 * database are two web processes as far as sockets are concerned.
 */
export async function startSocketNode(databaseUrl: string, config: { secret: string; publicUrl: string; recheckMs?: number }) {
  const database = createDb(databaseUrl, { max: 4, name: "socket-node" });
  const auth = createAuth(database.db, config);
  const server = createServer();
  const io = new Server(server, { serveClient: false });
  const access = await attachSocketAccess(io, { db: database.db, sql: database.sql, auth, recheckMs: config.recheckMs });
  const hub = await attachEventHub(io, { db: database.db, sql: database.sql, authorize: access.authorize });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      await io.close();
      await hub.close();
      await access.close();
      await database.close();
    },
  };
}

export type Watcher = {
  socket: ClientSocket;
  seqs: number[];
  /** Resolves with the server's closing message and when it came. */
  closed: Promise<{ reason: string; at: number; event: string }>;
};

/** A client socket with the given credential headers; resolves once connected, rejects when refused. */
export function openSocket(url: string, headers: Record<string, string>): Promise<Watcher> {
  const socket = connect(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
  const seqs: number[] = [];
  socket.on("event", (event: { seq: number }) => seqs.push(event.seq));
  let message = { reason: "", event: "" };
  socket.on("access_revoked", (m: { reason: string }) => (message = { reason: m.reason, event: "access_revoked" }));
  socket.on("access_changed", (m: { reason: string }) => (message = { reason: m.reason, event: "access_changed" }));
  const closed = new Promise<{ reason: string; at: number; event: string }>((resolve) =>
    socket.on("disconnect", (why) => resolve({ ...message, reason: message.reason || why, at: Date.now() })),
  );
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ socket, seqs, closed }));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

export async function subscribe(watcher: Watcher, runId: string, after = 0): Promise<{ ok: boolean; error?: string }> {
  return (await watcher.socket.timeout(20_000).emitWithAck("subscribe", { runId, after })) as { ok: boolean; error?: string };
}

/** Waits until the watcher has seen `seq`. */
export async function waitForSeq(watcher: Watcher, seq: number): Promise<void> {
  if (watcher.seqs.includes(seq)) return;
  await new Promise<void>((resolve) => {
    const check = (event: { seq: number }) => {
      if (event.seq !== seq) return;
      watcher.socket.off("event", check);
      resolve();
    };
    watcher.socket.on("event", check);
  });
}
