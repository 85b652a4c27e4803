import { spawn } from "node:child_process";
import path from "node:path";
import { sleep } from "./stats";

export const root = path.resolve(import.meta.dirname, "..");

export type RunningForeman = { url: string; readyMs: number; stop(): Promise<void> };

/**
 * `npm start` (the supervisor: embedded PostgreSQL, migrations, build if
 * stale, web and runner) in its own process group, until /api/health answers.
 */
export async function startForeman(dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<RunningForeman> {
  const started = performance.now();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: "", FOREMAN_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), FOREMAN_PUBLIC_URL: url, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  let gone = false;
  const exited = new Promise((resolve) => child.once("exit", resolve)).then(() => (gone = true));
  const stop = async () => {
    if (!gone) process.kill(-child.pid!, "SIGINT");
    await exited;
  };
  for (;;) {
    if (gone) throw new Error("npm start exited before it was healthy (its errors are above)");
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not yet
    }
    if (performance.now() - started > 180_000) {
      await stop();
      throw new Error("npm start was not healthy within 180 s");
    }
    await sleep(50);
  }
  return { url, readyMs: performance.now() - started, stop };
}
