import "server-only";
import type { IncomingMessage } from "node:http";
import { eq } from "drizzle-orm";
import type { Server, Socket } from "socket.io";
import type { Db, Sql } from "../../db/client";
import { shareLinks } from "../../db/schema";
import type { Auth } from "../auth/auth";
import { checkActor } from "../auth/access";
import { ACCESS_CHANNEL, type AccessNotice, accessNotice } from "../auth/access-notices";
import { type Actor, resolveActor } from "../auth/actor";
import { cachedActor } from "../auth/actor-cache";
import { allowedHosts, allowedOrigins } from "../auth/hosts";
import { requestHeaders } from "../server/request-headers";

type Config = { publicUrl: string; host: string; port: number };

/** Anything a notice missed (a dropped LISTEN connection, a session that simply expired) is caught by this sweep. */
export const ACCESS_RECHECK_MS = 30_000;

/**
 * socket.io's own gate, before any handshake: a known Host, and an allowed
 * Origin (browsers always send one; a script without one must bring a token).
 */
export function socketAllowRequest(config: Config) {
  const hosts = allowedHosts(config);
  const origins = allowedOrigins(config);
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
    const host = request.headers.host?.toLowerCase();
    const origin = request.headers.origin;
    if (!host || !hosts.has(host)) return callback("unknown host", false);
    if (origin === undefined ? !request.headers.authorization : !origins.has(origin)) return callback("origin not allowed", false);
    callback(null, true);
  };
}

type Watched = { headers: Headers; actor: Actor; expiry: NodeJS.Timeout | null };

/**
 * Who each socket belongs to, kept true for as long as it is open: the
 * credential it connected with (session cookie, API token or share cookie) is
 * resolved again on every `subscribe`, whenever a notice names it, at a share
 * link's expiry, and on a periodic sweep. A credential that died closes the
 * socket (`access_revoked`); a changed role closes it too (`access_changed`),
 * so the client reconnects with what it may do now.
 */
export async function attachSocketAccess(io: Server, deps: { db: Db; sql: Sql; auth: Auth; recheckMs?: number }) {
  const watched = new Map<string, Watched>();

  const close = (socket: Socket, event: "access_revoked" | "access_changed", reason: string, afterReply: boolean) => {
    forget(socket.id);
    const end = () => {
      socket.emit(event, { reason });
      socket.disconnect(true);
    };
    // A refused subscribe gets its answer first, then the close.
    if (afterReply) setImmediate(end);
    else end();
  };

  const forget = (socketId: string) => {
    const entry = watched.get(socketId);
    if (entry?.expiry) clearTimeout(entry.expiry);
    watched.delete(socketId);
  };

  /** Closes the socket at its share link's expiry, where it has one. */
  const scheduleExpiry = async (socket: Socket, entry: Watched) => {
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.expiry = null;
    if (entry.actor.kind !== "share") return;
    const [link] = await deps.db.select({ expiresAt: shareLinks.expiresAt }).from(shareLinks).where(eq(shareLinks.id, entry.actor.shareLinkId));
    if (!link || watched.get(socket.id) !== entry) return;
    // Never later than the sweep; a timer of more than ~24 days would overflow anyway.
    const wait = Math.min(Math.max(link.expiresAt.getTime() - Date.now(), 0) + 50, deps.recheckMs ?? ACCESS_RECHECK_MS);
    entry.expiry = setTimeout(() => void recheck(socket), wait);
    entry.expiry.unref();
  };

  /** Resolves the socket's credential again; false when the socket was closed. */
  const recheck = async (socket: Socket, afterReply = false): Promise<boolean> => {
    const entry = watched.get(socket.id);
    if (!entry || !socket.connected) return false;
    const now = await resolveActor(deps.db, deps.auth, entry.headers).catch((): Actor | null => null);
    // A database hiccup is not a verdict: keep the socket until the next check.
    if (now === null) return watched.get(socket.id) === entry;
    if (watched.get(socket.id) !== entry || !socket.connected) return false;
    if (now.kind === "anonymous") {
      close(socket, "access_revoked", revokedReason(entry.actor), afterReply);
      return false;
    }
    if (!sameAccess(entry.actor, now)) {
      close(socket, "access_changed", "Your access changed; reconnecting with what you may do now.", afterReply);
      return false;
    }
    entry.actor = now;
    socket.data.actor = now;
    await scheduleExpiry(socket, entry);
    return true;
  };

  io.use(async (socket, next) => {
    const headers = requestHeaders(socket.request);
    // Opening a socket is a read, right after the page's own: its credential may be reused (lib/auth/actor-cache.ts).
    // Every later check of this socket (a notice, the sweep, a subscribe) resolves it afresh.
    const actor = await cachedActor(deps.db, deps.auth, headers).catch((): Actor => ({ kind: "anonymous" }));
    if (actor.kind === "anonymous") return next(new Error("sign in first"));
    socket.data.actor = actor;
    const entry: Watched = { headers, actor, expiry: null };
    watched.set(socket.id, entry);
    socket.once("disconnect", () => forget(socket.id));
    void scheduleExpiry(socket, entry).catch(() => {});
    next();
  });

  const matches = (actor: Actor, notice: AccessNotice) => {
    switch (actor.kind) {
      case "user":
        return notice.userId === actor.id;
      case "token":
        return notice.userId === actor.id || notice.tokenId === actor.tokenId;
      case "share":
        return notice.shareLinkId === actor.shareLinkId;
      case "anonymous":
        return false;
    }
  };

  const recheckAll = (filter: (actor: Actor) => boolean) => {
    for (const [socketId, entry] of watched) {
      const socket = io.sockets.sockets.get(socketId);
      if (!socket) forget(socketId);
      else if (filter(entry.actor)) void recheck(socket);
    }
  };

  const listening = await deps.sql.listen(
    ACCESS_CHANNEL,
    (payload) => {
      const notice = accessNotice.safeParse(safeJson(payload));
      if (notice.success) recheckAll((actor) => matches(actor, notice.data));
    },
    // After a reconnect of the LISTEN connection: notices may have been missed.
    () => recheckAll(() => true),
  );
  const sweep = setInterval(() => recheckAll(() => true), deps.recheckMs ?? ACCESS_RECHECK_MS);
  sweep.unref();

  return {
    /** For the event hub: may this socket watch this run? The credential is resolved again first. */
    authorize: async (socket: Socket, runId: string) => {
      if (!(await recheck(socket, true))) return false;
      try {
        checkActor(watched.get(socket.id)!.actor, { role: "viewer", mutation: false, shareRunId: runId });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      clearInterval(sweep);
      for (const socketId of watched.keys()) forget(socketId);
      await listening.unlisten();
    },
  };
}

function sameAccess(before: Actor, after: Actor): boolean {
  if (before.kind !== after.kind) return false;
  switch (before.kind) {
    case "user":
      return after.kind === "user" && after.id === before.id && after.role === before.role;
    case "token":
      return after.kind === "token" && after.tokenId === before.tokenId && after.role === before.role;
    case "share":
      return after.kind === "share" && after.shareLinkId === before.shareLinkId && after.runId === before.runId;
    case "anonymous":
      return true;
  }
}

function revokedReason(actor: Actor): string {
  switch (actor.kind) {
    case "share":
      return "This share link expired or was revoked.";
    case "token":
      return "This API token was revoked, or its user removed.";
    case "user":
      return "Your session ended (signed out, or the account was removed). Sign in again.";
    case "anonymous":
      return "Sign in first.";
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
