import { createServer } from "node:http";
import next from "next";
import { Server } from "socket.io";
import { ensureSetupLink } from "./lib/auth/access-links";
import { keepActorsFresh } from "./lib/auth/actor-cache";
import { allowedHosts } from "./lib/auth/hosts";
import { dropRunnerOnlyVariables, env } from "./lib/env";
import { attachEventHub } from "./lib/realtime/event-hub";
import { attachSocketAccess, socketAllowRequest } from "./lib/realtime/socket-access";
import { closeContext, getAuth, getDatabase } from "./lib/server/context";
import { announceSetupLink, removeSetupLinkFile } from "./lib/server/setup-link";
import { limitBody } from "./lib/server/limit-body";
import { serveRunSnapshot } from "./lib/server/snapshot-route";
import { SECURITY_HEADERS, secureEveryResponse, setSecurityHeaders } from "./lib/server/security-headers";
import { watchSupervisor } from "./lib/server/supervised";
import { exitWith } from "./lib/shared/fatal";

/**
 * The web process: one HTTP server for Next.js and socket.io (DESIGN.md §2).
 * It never runs agents.
 */
async function main() {
  const config = env();
  const dev = config.nodeEnv !== "production";
  const app = next({ dev, dir: import.meta.dirname, hostname: config.host, port: config.port });
  await app.prepare();
  // Next loads a project `.env` file into process.env; even from there, a model key or
  // GitHub token stays out of the web process (the runner alone uses them).
  dropRunnerOnlyVariables();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  const hosts = allowedHosts(config);

  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    // DNS rebinding: a foreign host name reaching this loopback server is refused.
    if (!hosts.has(req.headers.host?.toLowerCase() ?? "")) {
      res.writeHead(421, { "content-type": "text/plain; charset=utf-8" }).end("Unknown Host. Reach Foreman through FOREMAN_PUBLIC_URL.\n");
      return;
    }
    // Audit entries and rate limits use the socket's address; a client-sent value is dropped.
    req.headers["x-foreman-remote-address"] = req.socket.remoteAddress ?? "";
    // The run snapshot, read by every open board, is answered here, before Next's router.
    if (serveRunSnapshot(req, res)) return;
    // Bodies are capped on the stream for every route, before any of them parses (413 past the cap).
    void limitBody(req, res).then((limited) => (limited ? handle(limited, res) : undefined));
  });
  // Idle keep-alive connections outlive a client's own idle timeout (browsers and proxies commonly keep them up to
  // 60 s): at Node's default 5 s the server could close one just as a client reused it, and a script's request
  // failed with a reset.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const io = new Server(server, {
    serveClient: false,
    // Other upgrades (Next's dev reload) are handed to Next below.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    allowRequest: socketAllowRequest(config),
  });
  secureEveryResponse(server);
  // The websocket upgrade's 101 answer is written by socket.io's engine: it takes the headers from here.
  io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, SECURITY_HEADERS));
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io/")) {
      if (!hosts.has(req.headers.host?.toLowerCase() ?? "")) return socket.destroy();
      void upgrade(req, socket, head);
    }
  });

  const database = getDatabase();
  const access = await attachSocketAccess(io, { db: database.db, sql: database.sql, auth: getAuth() });
  const hub = await attachEventHub(io, { db: database.db, sql: database.sql, authorize: access.authorize });
  const actors = await keepActorsFresh(database.sql);

  // Before listening: once /api/health answers, `npm start` looks for the setup link's file to point at it.
  const setupLink = await ensureSetupLink(database.db);
  if (setupLink) announceSetupLink(config, setupLink);
  else removeSetupLinkFile(config.dataDir);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  console.log(`[web] listening on http://${config.host}:${config.port} (${dev ? "development" : "production"})`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[web] ${why}: closing`);
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    io.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await hub.close();
    await access.close();
    await actors.close();
    await app.close?.();
    await closeContext();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  watchSupervisor(config.supervisorPid, () => void stop("supervisor gone"));
}

main().catch(exitWith("web"));
