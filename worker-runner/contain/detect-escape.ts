import os from "node:os";
import type { EscapeAction, EventPayload } from "../../lib/events/types";

export type EscapeSighting = { action: EscapeAction; target: string; detail: string };

export type EscapeContext = {
  worktree: string;
  /** Paths a worker has no business naming: the data directory, the runner's home. */
  private: readonly string[];
};

const REFUSAL = "(Read-only file system|Operation not permitted|Permission denied|Directory nonexistent|No such file or directory)";
const QUOTES = "`'\"\u2018\u2019";
const PATH = `[${QUOTES}]?([^\\s${QUOTES}:]+)[${QUOTES}]?`;
/** `sh: 1: cannot create /x: Directory nonexistent`, `touch: cannot touch '/x': …`, `ln: failed to create symbolic link '/x': …` */
const WRITE_REFUSED = new RegExp(`(?:cannot (?:create(?: regular file| directory)?|touch|remove|move|overwrite)|failed to create[a-z ]*|could not lock config file) ${PATH}: ${REFUSAL}`);
/** Any path the file system refused to change: `bash: line 1: /x: Read-only file system` */
const READ_ONLY = new RegExp(`(?:^|[\\s:])${PATH}: Read-only file system`);
/** `cat: /x: No such file or directory`, `sh: 1: cannot open /x: Permission denied` */
const READ_REFUSED = new RegExp(`(?:^|[\\s:])[${QUOTES}]?(/[^\\s${QUOTES}:]+)[${QUOTES}]?: ${REFUSAL}`);
const NETWORK_REFUSED = /(Could not resolve host[^\n]*|Temporary failure in name resolution|Network is unreachable|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)[^\n]*|Name or service not known|Couldn't connect to server)/;
const PROCESS_PATH = /^\/proc\/(?:[0-9]+|self\/\.\.)\/(?:environ|mem|maps|root|cwd)/;
const PROCESS_PROBE = /\bptrace\b|\bnsenter\b|\bkill\s+-9\s+-1\b/;

/**
 * What a worker's command (or a script it wrote: setup, verification) tried
 * beyond its sandbox, read from the command and its output: writes the
 * sandbox refused, reads of Foreman's own places and of other processes, the
 * network. Containment already refused these; this makes the attempt visible
 * on the task (DESIGN.md §9). At most one sighting per kind and target.
 */
export function detectEscapes(command: string, output: string, context: EscapeContext): EscapeSighting[] {
  const found = new Map<string, EscapeSighting>();
  const add = (sighting: EscapeSighting) => {
    const key = `${sighting.action}:${sighting.target}`;
    if (!found.has(key) && found.size < 20) found.set(key, { ...sighting, target: sighting.target.slice(0, 1000), detail: sighting.detail.slice(0, 2000) });
  };
  for (const line of output.split("\n")) {
    const write = WRITE_REFUSED.exec(line) ?? READ_ONLY.exec(line);
    if (write?.[1] && !isInside(write[1], context.worktree)) {
      add({ action: isGitMetadata(write[1]) ? "git" : "write", target: write[1], detail: `The sandbox refused: ${line.trim().slice(0, 500)}` });
      continue;
    }
    const read = READ_REFUSED.exec(line);
    if (read?.[1]) {
      const target = read[1];
      if (PROCESS_PATH.test(target)) add({ action: "process", target, detail: `The sandbox shows no process of Foreman's: ${line.trim().slice(0, 500)}` });
      else if (isPrivate(target, context)) {
        const writes = writesTo(command, target);
        add({ action: writes ? "write" : "read", target, detail: `The sandbox does not show Foreman's own files: ${line.trim().slice(0, 500)}` });
      }
    }
    const network = NETWORK_REFUSED.exec(line);
    if (network) add({ action: "network", target: firstLine(command).slice(0, 200), detail: `The sandbox has no network: ${line.trim().slice(0, 500)}` });
  }
  // The worktree itself lives in the data directory: naming it is the worker's own business.
  const outsideOwn = command.split(context.worktree).join("");
  const named = context.private.find((place) => outsideOwn.includes(place));
  if (named && ![...found.values()].some((sighting) => isPrivate(sighting.target, context))) add({ action: "read", target: named, detail: `The command names Foreman's own files, which the sandbox does not show: ${firstLine(command)}` });
  const probe = PROCESS_PROBE.exec(command);
  if (probe) add({ action: "process", target: probe[0], detail: `The sandbox shows no process of Foreman's: ${firstLine(command)}` });
  return [...found.values()];
}

/** The command redirects into, tees into, or copies onto `target`. */
function writesTo(command: string, target: string): boolean {
  const at = command.indexOf(target);
  if (at < 0) return false;
  return /(?:>>?|\btee(?:\s+-a)?|\bcp\b[^;|&]*|\bmv\b[^;|&]*|\bln\b[^;|&]*)\s*["']?$/.test(command.slice(Math.max(0, at - 200), at));
}

/** Inside the worktree and not its protected metadata (.git, .codex): a relative path is the worktree's. */
function isInside(target: string, worktree: string): boolean {
  const relative = target.startsWith("/") ? (target === worktree ? "." : target.startsWith(`${worktree}/`) ? target.slice(worktree.length + 1) : null) : target.replace(/^\.\//, "");
  return relative !== null && !/^\.(git|codex)(\/|$)/.test(relative);
}

const isGitMetadata = (target: string) => /(^|\/)\.git(\/|$)/.test(target);

const isPrivate = (target: string, context: EscapeContext) => context.private.some((place) => target === place || target.startsWith(`${place}/`));

const firstLine = (text: string) => text.trim().split("\n")[0]!.slice(0, 500);

/** Paths of the runner's own that nothing in a sandbox has reason to name: the data directory and the runner's home. */
export function privatePlaces(dataDir: string): string[] {
  return [dataDir, os.homedir()].filter((place) => place.length > 1);
}

/** The `task.escape_refused` events for one finished command. */
export function escapeEvents(attempt: number, command: string, output: string, context: EscapeContext): Extract<EventPayload, { type: "task.escape_refused" }>[] {
  return detectEscapes(command, output, context).map((sighting) => ({ type: "task.escape_refused", attempt, ...sighting }));
}
