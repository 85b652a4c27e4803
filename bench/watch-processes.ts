import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { descendants } from "../tests/support/processes";

/** What a process costs, read from /proc: resident, peak resident and anonymous memory (kB), its command name. */
type ProcessCost = { name: string; rssKb: number; hwmKb: number; privateKb: number };

const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);

function readCost(pid: number, withPrivate: boolean): ProcessCost | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "";
    let privateKb = 0;
    if (withPrivate) {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      // Anonymous memory is what a process costs alone: its binary's pages are shared with every other codex.
      privateKb = kb(rollup, "Anonymous");
    }
    return { name, rssKb: kb(status, "VmRSS"), hwmKb: kb(status, "VmHWM"), privateKb };
  } catch {
    return null;
  }
}

/** user + system CPU seconds a process has used so far (fields 14 and 15 of /proc/<pid>/stat, at 100 ticks a second). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Peak of each process of one kind, by pid. */
type Peaks = Map<number, { rssKb: number; privateKb: number }>;

export type ProcessWatch = {
  stop(): {
    runnerPeakRssKb: number;
    /** The most codex processes alive at one sample. */
    codexAtOnce: number;
    codex: Peaks;
    /** sigint-wrapper.mjs: one Node process per codex (DESIGN.md §6). */
    wrappers: Peaks;
  };
};

/**
 * Samples every `everyMs` the runner `root` and its process tree: the
 * runner's peak RSS (VmHWM), and the peak RSS and anonymous memory
 * (smaps_rollup) of every codex process and of every codex wrapper.
 */
export function watchProcesses(root: number, everyMs = 500): ProcessWatch {
  const codex: Peaks = new Map();
  const wrappers: Peaks = new Map();
  let runnerPeakRssKb = 0;
  let codexAtOnce = 0;
  const keep = (peaks: Peaks, pid: number, cost: ProcessCost) => {
    const seen = peaks.get(pid);
    peaks.set(pid, { rssKb: Math.max(seen?.rssKb ?? 0, cost.rssKb), privateKb: Math.max(seen?.privateKb ?? 0, cost.privateKb) });
  };
  const sample = () => {
    const runner = readCost(root, false);
    if (runner) runnerPeakRssKb = Math.max(runnerPeakRssKb, runner.hwmKb, runner.rssKb);
    let alive = 0;
    for (const pid of descendants(root)) {
      const cost = readCost(pid, true);
      if (!cost) continue;
      if (cost.name === "codex") alive++;
      if (cost.name === "codex") keep(codex, pid, cost);
      // Node 24 names its main thread, and so the process, "MainThread": below the runner, that is a codex wrapper.
      else if (cost.name === "node" || cost.name === "MainThread") keep(wrappers, pid, cost);
    }
    codexAtOnce = Math.max(codexAtOnce, alive);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { runnerPeakRssKb, codexAtOnce, codex, wrappers };
    },
  };
}

/**
 * watchProcesses in its own thread. Reading /proc for 64 processes (smaps_rollup
 * walks each one's page tables) took the event loop for tens of milliseconds
 * every sample, and the bench's event hub and socket.io client share that
 * loop: their latency figures carried the sampler's pauses.
 */
export function watchProcessesOffThread(root: number, everyMs = 500): { stop(): Promise<ReturnType<ProcessWatch["stop"]>> } {
  const worker = new Worker(new URL("./watch-processes-thread.ts", import.meta.url), { workerData: { root, everyMs } });
  return {
    async stop() {
      const result = new Promise<ReturnType<ProcessWatch["stop"]>>((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      worker.postMessage("stop");
      const usage = await result;
      await worker.terminate();
      return usage;
    },
  };
}
