import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { OUTPUT_TAIL_MAX } from "../../lib/events/types";
import { tail } from "../../lib/shared/cap";

export type CommandResult = { exitCode: number | null; timedOut: boolean; durationMs: number; outputTail: string };

export type CommandSpec = {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** The containment to run in (an argv prefix, see codex/places.ts); an empty prefix runs the command as it is. */
  confinement: { prefix: readonly string[] };
  /** Keep the whole output here too. */
  logFile?: string | null;
};

/**
 * Runs a shell command in its own process group with a deadline; on timeout
 * the whole group is killed, so nothing it started survives. Output is kept as
 * a capped tail (it is untrusted and may be huge).
 */
export function runCommand(spec: CommandSpec): Promise<CommandResult> {
  const started = Date.now();
  // By absolute path: the runner never takes a program from a PATH a worker could have written to.
  const argv = [...spec.confinement.prefix, "/bin/sh", "-c", spec.command];
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, { cwd: spec.cwd, env: spec.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let log: ReturnType<typeof createWriteStream> | null = null;
  if (spec.logFile) {
    mkdirSync(path.dirname(spec.logFile), { recursive: true });
    log = createWriteStream(spec.logFile);
  }
  const collect = (chunk: Buffer) => {
    log?.write(chunk);
    output = tail(output + chunk.toString("utf8"), OUTPUT_TAIL_MAX * 2);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid, "SIGKILL");
  }, spec.timeoutMs);
  return new Promise((resolve) => {
    let finished = false;
    const finish = (exitCode: number | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Whatever the command left running in its group goes with it.
      killGroup(child.pid, "SIGKILL");
      log?.end();
      const note = timedOut ? `\n[foreman] killed after ${Math.round(spec.timeoutMs / 1000)} s (timeout)\n` : "";
      resolve({ exitCode: timedOut ? null : exitCode, timedOut, durationMs: Date.now() - started, outputTail: tail(output + note, OUTPUT_TAIL_MAX) });
    };
    child.once("error", (error) => {
      output += `\n[foreman] could not start the command: ${error.message}\n`;
      finish(null);
    });
    let exitCode: number | null = null;
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? 128 : null);
      // A background process still holding the output pipe would keep "close" from firing.
      killGroup(child.pid, "SIGKILL");
    });
    child.once("close", () => finish(exitCode));
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}
