import type { EscapeAction } from "../../lib/events/types";

export type EscapeSighting = { action: EscapeAction; target: string; detail: string };

export type EscapeContext = {
  worktree: string;
  /** Paths a worker has no business naming: the data directory, the runner's home. */
  private: readonly string[];
};

const REFUSAL = "(Read-only file system|Operation not permitted|Permission denied|Directory nonexistent|No such file or directory)";
/** `sh: 1: cannot create /x: Read-only file system`, `touch: cannot touch '/x': …`, `ln: failed to create symbolic link '/x': …` */
const WRITE_REFUSED = new RegExp(`(?:cannot (?:create(?: regular file| directory)?|touch|remove|move|overwrite)|failed to create[a-z ]*) [\`'"]?(/[^\\s\`'":]+)[\`'"]?: ${REFUSAL}`);
/** `cat: /x: No such file or directory`, `sh: 1: cannot open /x: Permission denied` */
const READ_REFUSED = new RegExp(`(?:^|[\\s:])[\`'"]?(/[^\\s\`'":]+)[\`'"]?: ${REFUSAL}`);
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
    const write = WRITE_REFUSED.exec(line);
    if (write?.[1] && !isInside(write[1], context.worktree)) {
      add({ action: "write", target: write[1], detail: `The sandbox refused: ${line.trim().slice(0, 500)}` });
      continue;
    }
    const read = READ_REFUSED.exec(line);
    if (read?.[1]) {
      const target = read[1];
      if (PROCESS_PATH.test(target)) add({ action: "process", target, detail: `The sandbox shows no process of Foreman's: ${line.trim().slice(0, 500)}` });
      else if (isPrivate(target, context)) add({ action: "read", target, detail: `The sandbox does not show Foreman's own files: ${line.trim().slice(0, 500)}` });
    }
    const network = NETWORK_REFUSED.exec(line);
    if (network) add({ action: "network", target: firstLine(command).slice(0, 200), detail: `The sandbox has no network: ${line.trim().slice(0, 500)}` });
  }
  const named = context.private.find((place) => command.includes(place));
  if (named) add({ action: "read", target: named, detail: `The command names Foreman's own files, which the sandbox does not show: ${firstLine(command)}` });
  const probe = PROCESS_PROBE.exec(command);
  if (probe) add({ action: "process", target: probe[0], detail: `The sandbox shows no process of Foreman's: ${firstLine(command)}` });
  return [...found.values()];
}

function isInside(target: string, worktree: string): boolean {
  return target === worktree || (target.startsWith(`${worktree}/`) && !target.startsWith(`${worktree}/.git`));
}

const isPrivate = (target: string, context: EscapeContext) => context.private.some((place) => target === place || target.startsWith(`${place}/`));

const firstLine = (text: string) => text.trim().split("\n")[0]!.slice(0, 500);
