import "server-only";
import type { IncomingMessage } from "node:http";
import type { Server, Socket } from "socket.io";
import type { Db, Sql } from "../../db/client";
import type { Auth } from "../auth/auth";
import { checkActor } from "../auth/access";
import { type Actor, resolveActor } from "../auth/actor";
import { allowedHosts, allowedOrigins } from "../auth/hosts";
import { ACCESS_CHANNEL } from "../share/share-links";

type Config = { publicUrl: string; host: string; port: number };

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

/** Who the socket belongs to: session cookie, API token header, or share cookie. */
export function attachSocketAccess(io: Server, deps: { db: Db; sql: Sql; auth: Auth }) {
  io.use(async (socket, next) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(socket.request.headers)) {
      if (typeof value === "string") headers.set(key, value);
    }
    const actor = await resolveActor(deps.db, deps.auth, headers).catch((): Actor => ({ kind: "anonymous" }));
    if (actor.kind === "anonymous") return next(new Error("sign in first"));
    socket.data.actor = actor;
    next();
  });

  // A revoked share link loses its open sockets at once, on every web node.
  const listening = deps.sql.listen(ACCESS_CHANNEL, (payload) => {
    let shareLinkId: unknown;
    try {
      shareLinkId = (JSON.parse(payload) as { shareLinkId?: unknown }).shareLinkId;
    } catch {
      return;
    }
    for (const socket of io.sockets.sockets.values()) {
      const actor = socket.data.actor as Actor | undefined;
      if (actor?.kind === "share" && actor.shareLinkId === shareLinkId) {
        socket.emit("access_revoked", { reason: "This share link was revoked." });
        socket.disconnect(true);
      }
    }
  });

  return {
    /** For the event hub: may this socket watch this run? */
    authorize: async (socket: Socket, runId: string) => {
      const actor = socket.data.actor as Actor | undefined;
      if (!actor) return false;
      try {
        checkActor(actor, { role: "viewer", mutation: false, shareRunId: runId });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await (await listening).unlisten();
    },
  };
}
