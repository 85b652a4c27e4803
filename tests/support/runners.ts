import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { TEST_MODEL, until } from "./workers";

const root = path.resolve(import.meta.dirname, "../..");

export type RunnerProcess = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** The runner's id as it announced itself ("<host>:<pid>:<random>"). */
  id: () => Promise<string>;
};

/**
 * Real runner processes (`worker-runner/main.ts`) for fault tests: each one
 * killed, stopped or frozen by the test as a deployment would see it. All of
 * them are killed after the file.
 */
export function useRunnerProcesses(base: { databaseUrl: string; modelBaseUrl: string }) {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
  });
  return function startRunner(input: { dataDir: string; env?: Record<string, string> }): RunnerProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/node-hooks.mjs", "worker-runner/main.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: os.homedir(),
        NODE_ENV: "test",
        DATABASE_URL: base.databaseUrl,
        FOREMAN_DATA_DIR: input.dataDir,
        FOREMAN_MODEL_BASE_URL: base.modelBaseUrl,
        FOREMAN_MODEL: TEST_MODEL,
        FOREMAN_MAX_WORKERS: "2",
        FOREMAN_SECRET: "s".repeat(40),
        ...input.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const id = async () => {
      const line = await until(() => /\[runner\] (\S+) working /.exec(output)?.[1], `the runner to start working:\n${output}`, 120_000);
      return line;
    };
    return { child, output: () => output, exited, id };
  };
}
