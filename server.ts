import { createServer } from "node:http";
import next from "next";
import { Server } from "socket.io";
import { eq } from "drizzle-orm";
import { runs } from "./db/schema";
import { env } from "./lib/env";
import { attachEventHub } from "./lib/realtime/event-hub";
import { closeContext, getDatabase } from "./lib/server/context";
import { exitWith } from "./lib/shared/fatal";
import { watchSupervisor } from "./lib/server/supervised";

/**
 * The web process: one HTTP server for Next.js and socket.io (DESIGN.md §2).
 * It never runs agents.
 */
async function main() {
  const config = env();
  const dev = config.nodeEnv !== "production";
  const app = next({ dev, dir: import.meta.dirname, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();

  const server = createServer((req, res) => {
    // Audit entries record the socket's address; a client-sent value is dropped.
    req.headers["x-foreman-remote-address"] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  const io = new Server(server, {
    serveClient: false,
    // Other upgrades (Next's dev reload) are handed to Next below.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
  });
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith("/socket.io/")) void upgrade(req, socket, head);
  });

  const database = getDatabase();
  const hub = await attachEventHub(io, {
    db: database.db,
    sql: database.sql,
    authorize: async (_socket, runId) => {
      const [run] = await database.db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId)).limit(1);
      return Boolean(run);
    },
  });

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
    await app.close?.();
    await closeContext();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  watchSupervisor(config.supervisorPid, () => void stop("supervisor gone"));
}

main().catch(exitWith("web"));
