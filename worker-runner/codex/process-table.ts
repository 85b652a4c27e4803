import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Agent processes on this machine, found by the attempt marker in their
 * environment (codex passes it to its sandbox and tool commands). Linux reads
 * /proc; elsewhere only the recorded process group can be used.
 */

function processIds(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** State letter from /proc/<pid>/stat ("Z" zombie, "X" dead), or null when gone or unknown. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? null;
  } catch {
    return null;
  }
}

/** A process that exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const state = processState(pid);
  return state !== "Z" && state !== "X";
}

export function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker);
  } catch {
    return false;
  }
}

/** Live processes whose environment holds `NAME=value`. */
export function findMarkedProcesses(marker: string): number[] {
  return processIds().filter((pid) => pid !== process.pid && hasMarker(pid, marker) && isAlive(pid));
}

function isCodexWrapper(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.endsWith("sigint-wrapper.mjs"));
  } catch {
    return false;
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // already gone, or not ours
  }
}

/**
 * Stops every process carrying `marker`: SIGINT to the codex process group
 * first (codex then stops its own tools) and up to `graceMs` for it to exit,
 * then SIGKILL to whatever still carries the marker. A group or pid is
 * signalled only while its process is seen carrying the marker: pids wrap
 * around (pid_max may be 32768), and a recorded one may be someone else's now.
 * Returns the processes found.
 */
export async function stopMarkedProcesses(marker: string, options: { pgid?: number | null; graceMs: number }): Promise<number[]> {
  const found = new Set(findMarkedProcesses(marker));
  const leads = (pgid: number | null | undefined): pgid is number => Boolean(pgid) && isAlive(pgid!) && hasMarker(pgid!, marker);
  const group = leads(options.pgid) ? options.pgid : null;
  if (group) found.add(group);
  if (options.graceMs > 0 && found.size > 0) {
    // SIGINT first, to the group and to the codex wrapper (sigint-wrapper.mjs), which interrupts codex
    // even in a sandbox of its own session: codex then stops its tools itself and writes its thread's
    // rollout whole, so the thread can be resumed. A tool killed under codex instead would look to it
    // like a finished command. Up to `graceMs` to exit.
    if (group) signal(-group, "SIGINT");
    for (const pid of found) if (isCodexWrapper(pid)) signal(pid, "SIGINT");
    const until = Date.now() + options.graceMs;
    while (Date.now() < until && (findMarkedProcesses(marker).length > 0 || (group !== null && leads(group)))) await sleep(25);
  }
  if (group !== null && leads(group)) signal(-group, "SIGKILL");
  for (let round = 0; round < 3; round++) {
    const left = findMarkedProcesses(marker);
    if (left.length === 0) break;
    for (const pid of left) {
      found.add(pid);
      signal(pid, "SIGKILL");
    }
    await sleep(20);
  }
  return [...found];
}
