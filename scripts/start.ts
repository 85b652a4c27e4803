import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, type WriteStream, writeFileSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { redactUrl } from "../db/client";
import { childEnv, env, webChildEnv } from "../lib/env";
import { SETUP_URL_FILE } from "../lib/server/setup-link";
import { exitWith } from "../lib/shared/fatal";
import { checkModel, userLoginFile } from "../lib/model-check";
import { DEMO_EMAIL, seedDemo, startDemoModel } from "./demo";
import { sleep, withTimeout } from "../lib/shared/timeout";

/**
 * `npm start` (and `npm run dev`): one command for one machine (DESIGN.md §2).
 * Ensures the database (embedded unless DATABASE_URL), migrates once, then runs
 * web and runner as supervised children in their own process groups. Ctrl-C
 * stops children first and the database last. A child that crashes is started
 * again with a growing backoff (the runner's work is handed back and taken up
 * by the new one); only CRASH_LIMIT crashes within CRASH_WINDOW_MS stop
 * everything, with the reason and a non-zero exit code.
 */
const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const demo = process.argv.includes("--demo");
const say = (line: string) => console.log(`[foreman] ${line}`);

type Child = { name: string; process: ChildProcess; exited: Promise<number | null> };

/** A child crashing this often this quickly is broken, not unlucky: everything stops. */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 120_000;

async function main() {
  const config = env();
  const started = Date.now();
  let database: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (url) {
    await checkReachable(url);
    say(`using PostgreSQL at ${redactUrl(url)}`);
  } else {
    database = await startEmbeddedPostgres({ dataDir: config.dataDir, log: say });
    url = database.url;
    // `npm run admin` finds the running database here; removed again on stop.
    writeFileSync(runningUrlFile(config.dataDir), `${url}\n`, { mode: 0o600 });
  }

  const children: Child[] = [];
  let stopping: Promise<void> | null = null;
  const stopAll = (why: string, code: number) => {
    stopping ??= (async () => {
      say(`${why}: stopping`);
      await Promise.all(children.map(stopChild));
      await demoModel?.close();
      if (database) {
        rmSync(runningUrlFile(config.dataDir), { force: true });
        await database.stop();
      }
      say("stopped");
      process.exit(code);
    })();
    return stopping;
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => void stopAll(signal, 0));
  }
  if (database) {
    void database.exited.then((code) => void stopAll(`the embedded PostgreSQL exited (code ${code})`, 1));
  }

  let demoModel: Awaited<ReturnType<typeof startDemoModel>> | null = null;
  let demoPassword: string | null = null;
  try {
    await migrateDatabase(url);
    say("database migrated");
    if (demo) {
      demoModel = await startDemoModel();
      demoPassword = await seedDemo(url, config);
      say(`demo: the scripted model plays manager and workers on ${demoModel.baseUrl}`);
    }
    if (!dev) await ensureBuild();
    if (!demo) {
      const model = await checkModel({ baseUrl: config.modelBaseUrl ?? null, apiKey: config.codexApiKey ?? config.openaiApiKey ?? null, loginFile: userLoginFile() });
      say(model.usable ? `model: ${model.how}` : `WARNING: ${model.how}`);
    }
  } catch (error) {
    if (database) await database.stop();
    throw error;
  }
  if (stopping) return;

  const childEnvironment = childEnv({
    ...(demoModel ? { FOREMAN_MODEL_BASE_URL: demoModel.baseUrl, FOREMAN_MODEL: "gpt-5.5", FOREMAN_DEMO: "1" } : {}),
    DATABASE_URL: url,
    NODE_ENV: dev ? "development" : "production",
    FOREMAN_SUPERVISOR_PID: String(process.pid),
  });
  const log = openLog(config.dataDir);
  for (const [name, entry] of [
    ["web", "server.ts"],
    ["runner", "worker-runner/main.ts"],
  ] as const) {
    // Least privilege: the web process never runs agents or calls GitHub, so it gets no model key or GitHub token.
    const environment = name === "web" ? webChildEnv(childEnvironment) : childEnvironment;
    const crashes: number[] = [];
    const keep = (slot: number, restartNote: string | null) => {
      const child = spawnChild(name, entry, restartNote ? { ...environment, FOREMAN_RESTART_NOTE: restartNote } : environment, log);
      children[slot] = child;
      void child.exited.then(async (code) => {
        if (stopping) return;
        // Whatever the dead child started in its group goes with it (agent processes stop themselves).
        killGroup(child.process.pid, "SIGKILL");
        const now = Date.now();
        crashes.push(now);
        while (crashes.length && now - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
        if (crashes.length >= CRASH_LIMIT) {
          void stopAll(`the ${name} process crashed ${crashes.length} times in ${CRASH_WINDOW_MS / 60_000} minutes (last exit code ${code}); see ${path.join(config.dataDir, "logs", "foreman.log")}`, 1);
          return;
        }
        const backoff = Math.min(30_000, 1000 * 2 ** (crashes.length - 1));
        say(`the ${name} process exited unexpectedly (code ${code}); starting it again in ${backoff / 1000} s (crash ${crashes.length} of ${CRASH_LIMIT} allowed in ${CRASH_WINDOW_MS / 60_000} minutes)`);
        await sleep(backoff);
        if (!stopping) keep(slot, `restarted at ${new Date().toISOString()} after the previous ${name} process exited with code ${code}`);
      });
    };
    keep(children.length, null);
  }

  const healthUrl = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${config.port}/api/health`;
  if (await waitForHealth(healthUrl, () => Boolean(stopping))) {
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${config.publicUrl}`);
    showSetupLink(config.dataDir);
    if (demo) {
      say(
        demoPassword
          ? `demo: sign in as ${DEMO_EMAIL} with password ${demoPassword} (also in ${path.join(config.dataDir, "demo-login.txt")})`
          : `demo: sign in as ${DEMO_EMAIL}; the password is in ${path.join(config.dataDir, "demo-login.txt")}`,
      );
    }
  }
}

const runningUrlFile = (dataDir: string) => path.join(dataDir, "postgres.url");

/**
 * The setup link is a credential: shown on an interactive terminal only, never
 * copied to logs/foreman.log (the web process wrote it to the data dir).
 */
function showSetupLink(dataDir: string): void {
  const file = path.join(dataDir, SETUP_URL_FILE);
  if (!existsSync(file)) return;
  if (!process.stdout.isTTY) {
    say(`no account exists yet: open the one-time setup link in ${file} (valid for an hour; restart for a new one)`);
    return;
  }
  console.log("");
  console.log("  No account exists yet. Create the owner account here (works once, for an hour):");
  console.log(`  ${readFileSync(file, "utf8").trim()}`);
  console.log("");
}

/** Children's output goes to the terminal and to FOREMAN_DATA_DIR/logs/foreman.log. */
function openLog(dataDir: string): WriteStream {
  mkdirSync(path.join(dataDir, "logs"), { recursive: true });
  return createWriteStream(path.join(dataDir, "logs", "foreman.log"), { flags: "a", mode: 0o600 });
}

function spawnChild(name: string, entry: string, environment: NodeJS.ProcessEnv, log: WriteStream): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", entry],
    { cwd: root, env: environment, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  child.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    log.write(chunk);
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    log.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null))));
  return { name, process: child, exited };
}

/** SIGTERM to the child's process group; SIGKILL what is left after 8 s. */
async function stopChild(child: Child): Promise<void> {
  const pid = child.process.pid;
  if (!pid || child.process.exitCode !== null || child.process.signalCode !== null) {
    killGroup(pid, "SIGKILL");
    return;
  }
  killGroup(pid, "SIGTERM");
  const { timedOut } = await withTimeout(child.exited, 8000);
  if (timedOut) say(`${child.name} did not stop within 8 s; killing it`);
  // Whatever the child started in its group (Next workers, tool processes) goes too.
  killGroup(pid, "SIGKILL");
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function checkReachable(url: string): Promise<void> {
  const probe = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {} });
  try {
    await probe`select 1`;
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}

/** Builds when there is no production build, or when a source is newer than it. */
async function ensureBuild(): Promise<void> {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (existsSync(buildId)) {
    const newer = newestSource();
    if (newer === null || statSync(buildId).mtimeMs >= newer.mtimeMs) return;
    say(`${path.relative(root, newer.file)} changed since the last build: rebuilding (about a minute)…`);
  } else {
    say("no production build yet: running `next build` once (about a minute)…");
  }
  const build = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: childEnv({ NODE_ENV: "production" }),
  });
  const code = await new Promise<number | null>((resolve) => build.once("exit", resolve));
  if (code !== 0) throw new Error("`next build` failed (see above); fix the error and run `npm start` again.");
}

function newestSource(): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const visit = (entry: string) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const name of readdirSync(entry)) visit(path.join(entry, name));
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { file: entry, mtimeMs: stat.mtimeMs };
    }
  };
  for (const entry of ["app", "components", "lib", "db/schema", "next.config.ts", "package-lock.json", "postcss.config.mjs"]) {
    visit(path.join(root, entry));
  }
  return newest;
}

async function waitForHealth(url: string, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !cancelled()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  if (!cancelled()) say(`still not healthy after 120 s: check the output above, or ${url}`);
  return false;
}


main().catch(exitWith("start"));
