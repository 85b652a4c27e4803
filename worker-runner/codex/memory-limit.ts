import { accessSync, constants } from "node:fs";

const PRLIMIT_CANDIDATES = ["/usr/bin/prlimit", "/bin/prlimit", "/usr/local/bin/prlimit"];

/**
 * The argv prefix that starts codex under its memory limit: prlimit (util-linux)
 * sets RLIMIT_DATA, which every process codex starts inherits, then execs codex
 * (or the sandbox around it) in its place. RLIMIT_DATA, not RLIMIT_AS: codex
 * reserves far more address space than it uses (VmPeak ~600 MB for ~25 MB of
 * its own memory), as V8 and the JVM do for the tools a worker runs; the data
 * limit counts only writable private memory, what a runaway process fills.
 * Empty (no limit, the runner warns) where prlimit is not installed.
 */
export function memoryLimitPrefix(megabytes: number): string[] {
  const prlimit = PRLIMIT_CANDIDATES.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (!prlimit) return [];
  const bytes = megabytes * 1024 * 1024;
  return [prlimit, `--data=${bytes}:${bytes}`, "--"];
}

/** What codex (Rust) or a tool prints when an allocation fails under the limit. */
const OUT_OF_MEMORY = /memory allocation of \d+ bytes failed|out of memory|cannot allocate memory|allocation failed/i;

/** A failure's sentence when codex ran out of memory: null when the failure is something else. */
export function outOfMemoryMessage(failure: string, megabytes: number): string | null {
  if (!OUT_OF_MEMORY.test(failure)) return null;
  return `Codex ran out of memory: it reached its limit of ${megabytes} MB (FOREMAN_CODEX_MEMORY_MB) and was stopped.`;
}
