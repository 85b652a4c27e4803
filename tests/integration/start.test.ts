import { execFileSync, type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded";
import { HOSTILE_NEXT } from "../support/hostile-next";
import { eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { attempts, tasks } from "../../db/schema";
import { WORKER_SCENARIOS } from "../../e2e/scripted-model/scenarios/workers";
import { startScriptedModel } from "../../e2e/scripted-model/server";
import { createBoss } from "../../lib/jobs/boss";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { ATTEMPT_MARKER } from "../../worker-runner/codex/child-env";
import { findMarkedProcesses } from "../../worker-runner/codex/process-table";
import { seedScenarioTask } from "../support/factories";
import { commandLine, descendants, stillRunning } from "../support/processes";
import { TEST_MODEL, until } from "../support/workers";

/**
 * `npm start` as a user runs it: its own process group (a terminal), Ctrl-C
 * delivered to the whole group. These tests need the production build, which
 * `npm start` makes by itself when it is missing.
 */
const root = path.resolve(import.meta.dirname, "../..");
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

type Started = { child: ChildProcess; output: () => string; exited: Promise<number | null>; port: number };

function npmStart(env: Record<string, string>, script = "start"): Started {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn("npm", ["run", script, "--silent"], {
    cwd: root,
    env: { ...inherited, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited, port: Number(env.PORT) };
}

async function waitForReady(started: Started, ms = 240_000): Promise<void> {
  const deadline = Date.now() + ms;
  let gone = false;
  void started.exited.then(() => (gone = true));
  while (!started.output().includes("[foreman] ready in")) {
    if (gone) throw new Error(`npm start exited before it was ready:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const api = (port: number, route: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${route}`, init);

async function stopWithCtrlC(started: Started): Promise<{ code: number | null; leftovers: string[] }> {
  const tree = descendants(started.child.pid!);
  process.kill(-started.child.pid!, "SIGINT");
  const code = await started.exited;
  // Give the kernel a moment to reap; then nothing of the tree may remain.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const leftovers = stillRunning([started.child.pid!, ...tree]).map((pid) => `${pid} ${commandLine(pid)}`);
  return { code, leftovers };
}

describe("npm start", () => {
  it("comes up healthy on the embedded database, stops on Ctrl-C leaving no process, and keeps data across restarts", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    dataDirs.push(dataDir);
    const env = { FOREMAN_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1" };

    const first = npmStart(env);
    await waitForReady(first);
    const health = await api(first.port, "/api/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, db: true, runners: 1 });
    const tree = descendants(first.child.pid!).map(commandLine).join("\n");
    expect(tree).toContain("server.ts");
    expect(tree).toContain("worker-runner/main.ts");
    expect(tree).toMatch(/postgres -D .*foreman-start-/);

    // The first start writes a one-time setup link to <data dir>/setup-url, readable by this user only;
    // the link is a credential, so neither the output (not a terminal here) nor logs/foreman.log holds it.
    expect(first.output()).toContain("no account exists yet: open the one-time setup link in");
    const setupFile = path.join(dataDir, "setup-url");
    expect(statSync(setupFile).mode & 0o777).toBe(0o600);
    const setupUrl = new URL(readFileSync(setupFile, "utf8").trim());
    const setupToken = setupUrl.searchParams.get("token")!;
    expect(first.output()).not.toContain(setupToken);
    expect(readFileSync(path.join(dataDir, "logs", "foreman.log"), "utf8")).not.toContain(setupToken);
    const origin = `http://127.0.0.1:${first.port}`;
    const setup = await api(first.port, "/api/setup", {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ token: setupUrl.searchParams.get("token"), name: "Owner", email: "owner@example.test", password: "owner password 123" }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

    const repo = path.join(dataDir, "repo");
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "--allow-empty", "-m", "init"]);
    const created = await api(first.port, "/api/repositories", {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie },
      body: JSON.stringify({ name: "kept", path: repo }),
    });
    expect(created.status).toBe(201);

    const stopped = await stopWithCtrlC(first);
    expect(stopped.leftovers).toEqual([]);
    // npm re-raises the SIGINT (exit code null); the supervisor itself ended cleanly.
    expect(first.output()).toContain("[foreman] SIGINT: stopping");
    expect(first.output()).toContain("[foreman] stopped");

    const second = npmStart(env);
    await waitForReady(second);
    expect(second.output()).not.toContain("initialising the embedded PostgreSQL cluster");
    // Data and the session survive the restart; no new setup link is offered.
    expect(second.output()).not.toContain("no account exists yet");
    const listed = (await (await api(second.port, "/api/repositories", { headers: { cookie } })).json()) as { repositories: { name: string }[] };
    expect(listed.repositories.map((r) => r.name)).toEqual(["kept"]);
    const again = await stopWithCtrlC(second);
    expect(again.leftovers).toEqual([]);
  });

  it("npm run demo plays the loop with the scripted model: signed in, the manager reviews the sample run and asks its question", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-demo-"));
    dataDirs.push(dataDir);
    const demo = npmStart({ FOREMAN_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1" }, "demo");
    await waitForReady(demo);
    const login = /sign in as (\S+) with password (\S+) /.exec(demo.output());
    expect(login, demo.output()).not.toBeNull();
    const origin = `http://127.0.0.1:${demo.port}`;
    const signIn = await api(demo.port, "/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email: login![1], password: login![2] }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { runs } = (await (await api(demo.port, "/api/runs", { headers: { cookie } })).json()) as { runs: { id: string; title: string }[] };
    expect(runs.map((run) => run.title)).toEqual(["Make the greeting friendlier"]);
    const deadline = Date.now() + 90_000;
    let status = "";
    while (Date.now() < deadline && status !== "needs_input") {
      status = ((await (await api(demo.port, `/api/runs/${runs[0]!.id}`, { headers: { cookie } })).json()) as { run: { status: string } }).run.status;
      if (status !== "needs_input") await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(status).toBe("needs_input");
    expect(await (await api(demo.port, "/", { headers: { cookie } })).text()).toContain("the model is scripted");
    const stopped = await stopWithCtrlC(demo);
    expect(stopped.leftovers).toEqual([]);
  });

  it("with no model at all: npm start warns, every page says how to fix it, and a run fails at once with the reason", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    const home = mkdtempSync(path.join(os.tmpdir(), "foreman-home-"));
    dataDirs.push(dataDir, home);
    // No `codex login` (an empty home), no key, no endpoint.
    const started = npmStart({ FOREMAN_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1", HOME: home });
    await waitForReady(started);
    expect(started.output()).toContain("[foreman] WARNING: No model is set up: run `codex login`");
    const origin = `http://127.0.0.1:${started.port}`;
    const token = new URL(readFileSync(path.join(dataDir, "setup-url"), "utf8").trim()).searchParams.get("token");
    const setup = await api(started.port, "/api/setup", {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ token, name: "Owner", email: "owner@example.test", password: "owner password 123" }),
    });
    const cookie = setup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const repo = path.join(dataDir, "repo");
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "-q", "--allow-empty", "-m", "init"]);
    const headers = { "content-type": "application/json", origin, cookie };
    const repository = (await (await api(started.port, "/api/repositories", { method: "POST", headers, body: JSON.stringify({ name: "nomodel", path: repo }) })).json()) as { repository: { id: string } };
    const created = await api(started.port, "/api/runs", { method: "POST", headers, body: JSON.stringify({ repositoryId: repository.repository.id, scope: "Fix the greeting." }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // The run does not sit in "reviewing": it fails with the reason and the fix, long before two minutes.
    const failed = await until(async () => {
      const body = (await (await api(started.port, `/api/runs/${id}`, { headers: { cookie } })).json()) as { run: { status: string; statusReason: string | null } };
      return body.run.status === "failed" ? body.run : null;
    }, `the run to fail:\n${started.output()}`, 120_000);
    expect(failed.statusReason).toMatch(/^The model cannot be reached\. No model is set up: run `codex login`, or set OPENAI_API_KEY/);
    // Every page says it (the runner's model note), with the fix.
    const page = await (await api(started.port, "/", { headers: { cookie } })).text();
    expect(page).toContain('data-testid="model-banner"');
    expect(page).toContain("No model is set up: run `codex login`");
    // Kept for people to look at: the banner as a browser shows it (test-results/no-model-banner.png).
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const [name, value] = cookie.split(";")[0]!.split("=");
      await context.addCookies([{ name: name!, value: value!, url: origin }]);
      const browserPage = await context.newPage();
      await browserPage.goto(`${origin}/runs/${id}`);
      await browserPage.getByTestId("model-banner").waitFor();
      // The run says why it failed, next to its status.
      await browserPage.getByTestId("run-failure").getByText("The model cannot be reached.", { exact: false }).waitFor();
      mkdirSync(path.join(root, "test-results"), { recursive: true });
      await browserPage.screenshot({ path: path.join(root, "test-results", "no-model-banner.png") });
    } finally {
      await browser.close();
    }
    const stopped = await stopWithCtrlC(started);
    expect(stopped.leftovers).toEqual([]);
  });

  it("the web process holds no runner credential, caps bodies on the stream, keeps redirects home, shrugs off broken cookies and secures every response", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    dataDirs.push(dataDir);
    const secrets = { OPENAI_API_KEY: "sk-test-web-must-not-see-0001", CODEX_API_KEY: "codex-test-web-must-not-see-0002", GITHUB_TOKEN: "ghp_testWebMustNotSee0003" };
    const started = npmStart({ FOREMAN_DATA_DIR: dataDir, PORT: String(await freePort()), HOST: "127.0.0.1", ...secrets });
    await waitForReady(started);
    const origin = `http://127.0.0.1:${started.port}`;
    const tree = descendants(started.child.pid!);
    const web = tree.find((pid) => commandLine(pid).endsWith("server.ts"))!;
    const runner = tree.find((pid) => commandLine(pid).endsWith("worker-runner/main.ts"))!;
    expect(web).toBeDefined();

    // Least privilege (AC 9): the runner has the credentials it was given; the web process has none of them.
    const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    for (const [name, value] of Object.entries(secrets)) {
      expect(environOf(runner)).toContain(`${name}=${value}`);
      expect(environOf(web).filter((entry) => entry.startsWith(`${name}=`) || entry.includes(value))).toEqual([]);
    }

    // The owner, through the setup link, for the signed-in checks below.
    const token = new URL(readFileSync(path.join(dataDir, "setup-url"), "utf8").trim()).searchParams.get("token");
    const setup = await api(started.port, "/api/setup", {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ token, name: "Owner", email: "owner@example.test", password: "owner password 123" }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");

    // Bodies (AC 4): 200 MB, chunked (no length declared), to every route that takes a body.
    // One refused body first, so code paths run once before the baseline.
    const warmUp = await sendChunked(started.port, "POST", "/api/runs", 4 * 1024 * 1024, { origin, cookie }).catch((error: Error) => {
      throw new Error(`warm-up: ${error.message}\n${started.output().slice(-3000)}`);
    });
    expect(warmUp.status).toBe(413);
    const before = rssKb(web);
    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(15);
    for (const [method, route] of routes) {
      const answer = await sendChunked(started.port, method, route, 200 * 1024 * 1024, { origin, cookie }).catch((error: Error) => {
        throw new Error(`${method} ${route}: ${error.message}\n${started.output().slice(-3000)}`);
      });
      expect(answer.status, `${method} ${route}`).toBe(413);
      expect(answer.sent, `${method} ${route}: the server should stop reading long before 200 MB`).toBeLessThan(200 * 1024 * 1024);
    }
    const grownMb = (rssKb(web) - before) / 1024;
    expect(grownMb, `the web process grew by ${grownMb.toFixed(1)} MB`).toBeLessThan(20);

    // Redirects after sign-in (AC 3): every hostile `next` stays on this origin.
    for (const next of HOSTILE_NEXT.filter((value): value is string => typeof value === "string" && value !== "")) {
      for (const query of [`next=${encodeURIComponent(next)}`, `next=${next.replace(/[\t\n\r\0 ]/g, (c) => encodeURIComponent(c))}`]) {
        const response = await api(started.port, `/sign-in?${query}`, { headers: { cookie }, redirect: "manual" });
        expect([303, 307, 308], `/sign-in?${query}`).toContain(response.status);
        const location = response.headers.get("location")!;
        expect(new URL(location, origin).origin, `/sign-in?${query} → ${location}`).toBe(origin);
        expect(location, `/sign-in?${query} → ${location}`).not.toMatch(/^[^/]|^\/[\\/]|[\t\n\r\\]/);
      }
    }

    // Malformed cookies (AC 5): the anonymous answer, never a 500.
    for (const name of ["foreman_share", "foreman.session_token", "foreman.session_data", "foreman.dont_remember"]) {
      for (const value of ["%ZZ", "%", "%E0%A4%A"]) {
        const broken = { cookie: `${name}=${value}` };
        expect((await api(started.port, "/sign-in", { headers: broken })).status, `${name}=${value} /sign-in`).toBe(200);
        expect((await api(started.port, "/", { headers: broken, redirect: "manual" })).status, `${name}=${value} /`).toBe(307);
        expect((await api(started.port, "/api/runs", { headers: broken })).status, `${name}=${value} /api/runs`).toBe(401);
        expect((await api(started.port, "/api/health", { headers: broken })).status).toBe(200);
      }
    }

    // Security headers (AC 7) on every kind of answer, socket.io's included.
    const answers: [string, Response | http.IncomingMessage][] = [
      ["page", await api(started.port, "/sign-in")],
      ["api", await api(started.port, "/api/health")],
      ["api 401", await api(started.port, "/api/runs")],
      ["api 413", (await sendChunked(started.port, "POST", "/api/runs", 1024 * 1024, { origin, cookie })).response],
      ["static", await api(started.port, "/favicon.ico")],
      ["not found", await api(started.port, "/no-such-page")],
      ["socket.io handshake", await api(started.port, "/socket.io/?EIO=4&transport=polling", { headers: { origin } })],
      ["socket.io refused origin", await api(started.port, "/socket.io/?EIO=4&transport=polling", { headers: { origin: "http://evil.example" } })],
      ["socket.io bad request", await api(started.port, "/socket.io/?EIO=9&transport=nothing", { headers: { origin } })],
    ];
    for (const [what, answer] of answers) {
      const header = (name: string) => (answer instanceof Response ? answer.headers.get(name) : (answer.headers[name] as string | undefined) ?? null);
      expect(header("x-content-type-options"), what).toBe("nosniff");
      expect(header("referrer-policy"), what).toBe("no-referrer");
      expect(header("x-frame-options"), what).toBe("DENY");
    }
    const upgrade = await websocketUpgradeHeaders(started.port, origin);
    expect(upgrade["x-content-type-options"]).toBe("nosniff");
    expect(upgrade["referrer-policy"]).toBe("no-referrer");

    expect((await stopWithCtrlC(started)).leftovers).toEqual([]);
  });

  it("starts a crashed runner again while the web keeps serving, and its task continues; only repeated crashes stop everything", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    dataDirs.push(dataDir);
    const model = await startScriptedModel({ scenarios: WORKER_SCENARIOS });
    const port = await freePort();
    const started = npmStart({ FOREMAN_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", FOREMAN_MODEL_BASE_URL: model.baseUrl, FOREMAN_MODEL: TEST_MODEL });
    await waitForReady(started);
    // `npm start` writes where its embedded database listens once it is up.
    const url = readFileSync(path.join(dataDir, "postgres.url"), "utf8").trim();
    const database = createDb(url, { max: 2, name: "test" });
    const boss = createBoss(url, "web");
    boss.on("error", () => {});
    try {
      await boss.start();
      const { repo, task } = await seedScenarioTask(database.db, "long-haul");
      dataDirs.push(repo);
      await startTaskAttempt(database.db, boss, task.id);
      await boss.stop({ graceful: false, close: true });
      const attempt = await until(async () => (await database.db.select().from(attempts).where(eq(attempts.taskId, task.id)))[0]?.pid ? (await database.db.select().from(attempts).where(eq(attempts.taskId, task.id)))[0] : null, `the worker to start:\n${started.output()}`, 120_000);
      const marked = `${ATTEMPT_MARKER}=${attempt.id}`;
      await until(() => findMarkedProcesses(marked).some((pid) => commandLine(pid).startsWith("sleep 300")) || null, "the worker's long command");
      const agents = findMarkedProcesses(marked);

      // The web answers every request while the runner is down and back.
      const unanswered: string[] = [];
      let probing = true;
      const probe = (async () => {
        while (probing) {
          await api(port, "/api/health").catch((error: unknown) => unanswered.push(String(error)));
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })();
      const runnerPid = () => descendants(started.child.pid!).find((pid) => commandLine(pid).includes("worker-runner/main.ts"));
      const first = runnerPid()!;
      process.kill(first, "SIGKILL");
      await until(() => started.output().includes("the runner process exited unexpectedly") || null, "the supervisor to notice");
      // No agent process outlives its runner.
      await until(() => stillRunning(agents).filter((pid) => findMarkedProcesses(marked).includes(pid)).length === 0 || null, "the dead runner's agent processes to stop");
      await until(async () => {
        const [row] = await database.db.select().from(tasks).where(eq(tasks.id, task.id));
        if (row!.status === "blocked") throw new Error(`blocked: ${row!.holdReason}\n${started.output()}`);
        return row!.status === "done" || null;
      }, `the restarted runner to finish the task:\n${started.output()}`, 180_000);
      probing = false;
      await probe;
      expect(unanswered).toEqual([]);
      expect(runnerPid()).not.toBe(first);
      expect(started.output()).toMatch(/the runner process exited unexpectedly \(code 137\); starting it again in 1 s \(crash 1 of 5/);
      const [resumed] = await database.db.select().from(attempts).where(eq(attempts.taskId, task.id));
      expect(resumed).toMatchObject({ id: attempt.id, status: "completed" });
      expect(resumed!.runnerId).not.toBe(attempt.runnerId);

      // A runner that keeps crashing is broken: after the fifth crash in two minutes everything stops, with the reason.
      await database.close();
      const tree = descendants(started.child.pid!);
      let gone = false;
      void started.exited.then(() => (gone = true));
      while (!gone) {
        const pid = await until(() => runnerPid() ?? (gone ? -1 : null), "the runner to be started again", 60_000);
        if (pid === -1) break;
        process.kill(pid, "SIGKILL");
        await until(() => gone || runnerPid() !== pid || null, "the supervisor to notice the crash");
      }
      expect(await started.exited).not.toBe(0);
      expect(started.output()).toMatch(/the runner process crashed 5 times in 2 minutes \(last exit code 137\)/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stillRunning(tree).map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
    } finally {
      await boss.stop({ graceful: false, close: true }).catch(() => {});
      await database.close().catch(() => {});
      await model.close();
      if (started.child.exitCode === null) process.kill(-started.child.pid!, "SIGKILL");
    }
  });

  it.each([
    [{ PORT: "abc" }, /^foreman start: Bad configuration: PORT must be a whole number from 1 to 65535 \(got "abc"\)\.$/],
    [{ DATABASE_URL: "postgres://foreman:wrong@127.0.0.1:1/foreman" }, /^foreman start: Cannot reach the database at DATABASE_URL \(ECONNREFUSED/],
    [{ FOREMAN_MAX_WORKERS: "many" }, /^foreman start: Bad configuration: FOREMAN_MAX_WORKERS /],
  ])("exits non-zero with one clear line for bad configuration %o", async (bad, expected) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    dataDirs.push(dataDir);
    const started = npmStart({ FOREMAN_DATA_DIR: dataDir, ...bad });
    const code = await started.exited;
    expect(code).not.toBe(0);
    const lines = started.output().split("\n").filter((line) => line.trim() !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  });
});

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
}

/** Every method and route under app/api that takes a body, with ids filled in. */
function bodyRoutes(): [string, string][] {
  const apiRoot = path.join(root, "app", "api");
  const found: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/api/${path.relative(apiRoot, dir).split(path.sep).join("/")}`
          .replace("[...all]", "sign-in/email")
          .replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");
        for (const [, method] of readFileSync(full, "utf8").matchAll(/export (?:const|async function) (POST|PUT|PATCH|DELETE)\b/g)) found.push([method!, route]);
      }
    }
  };
  walk(apiRoot);
  return found;
}

/**
 * Streams `total` bytes of JSON-ish filler with chunked encoding (no length
 * declared), honouring backpressure, until the server answers or hangs up.
 */
function sendChunked(port: number, method: string, route: string, total: number, headers: Record<string, string>): Promise<{ status: number; sent: number; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    // A connection of its own: the server closes it after a 413.
    const request = http.request({ host: "127.0.0.1", port, method, path: route, agent: false, headers: { ...headers, "content-type": "application/json", "transfer-encoding": "chunked" } });
    request.on("response", (response) => {
      answered = true;
      response.resume();
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode!, sent, response });
      });
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    request.write("{\"filler\":\"");
    pump();
  });
}

/** The headers of socket.io's answer to a websocket upgrade. */
function websocketUpgradeHeaders(port: number, origin: string): Promise<http.IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: "127.0.0.1",
      port,
      path: "/socket.io/?EIO=4&transport=websocket",
      headers: { origin, connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    });
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve(response.headers);
    });
    request.on("response", (response) => reject(new Error(`no upgrade: ${response.statusCode}`)));
    request.on("error", reject);
    request.end();
  });
}
