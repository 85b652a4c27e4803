import { execFileSync, type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../db/embedded";
import { commandLine, descendants, stillRunning } from "../support/processes";

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

    // The first start prints a one-time setup link (also in <data dir>/setup-url) for the owner account.
    expect(first.output()).toContain("Create the owner account here");
    const setupUrl = new URL(readFileSync(path.join(dataDir, "setup-url"), "utf8").trim());
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
    expect(second.output()).not.toContain("Create the owner account here");
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

  it("stops everything and exits non-zero when a child dies", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-start-"));
    dataDirs.push(dataDir);
    const started = npmStart({ FOREMAN_DATA_DIR: dataDir, PORT: String(await freePort()) });
    await waitForReady(started);
    const tree = descendants(started.child.pid!);
    const runner = tree.find((pid) => commandLine(pid).includes("worker-runner/main.ts"));
    expect(runner).toBeDefined();
    process.kill(runner!, "SIGKILL");
    const code = await started.exited;
    expect(code).not.toBe(0);
    expect(started.output()).toMatch(/the runner process exited unexpectedly/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stillRunning(tree).map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
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
