import { closeSync, constants, lstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { head, tail } from "../../lib/shared/cap";

/**
 * Codex's exec JSONL leaves out a command its sandbox refused (codex tells the
 * model, but emits no item), so the thread's rollout file in CODEX_HOME is the
 * record of every tool call and its output. Read defensively: model and tool
 * text, capped.
 */
export type RolloutCall = { command: string; output: string };

const line = z.looseObject({
  type: z.string(),
  payload: z.looseObject({ type: z.string(), call_id: z.string().optional(), name: z.string().optional(), arguments: z.string().optional(), input: z.string().optional(), output: z.unknown().optional() }).optional(),
});
const execArguments = z.looseObject({ cmd: z.string().optional(), command: z.union([z.string(), z.array(z.string())]).optional() });

/** The thread's rollout file under a CODEX_HOME, or null. */
export function findRollout(codexHome: string, threadId: string): string | null {
  const root = path.join(codexHome, "sessions");
  try {
    const match = readdirSync(root, { recursive: true, encoding: "utf8" }).find((entry) => entry.endsWith(`${threadId}.jsonl`) && path.basename(entry).startsWith("rollout-"));
    // The home is writable by the agent: a rollout that is not a plain file reached through no link is not codex's.
    return match && isPlainFileInside(root, match) ? path.join(root, match) : null;
  } catch {
    return null;
  }
}

function isPlainFileInside(root: string, relative: string): boolean {
  let current = root;
  for (const part of relative.split(path.sep)) {
    current = path.join(current, part);
    try {
      const stat = lstatSync(current);
      if (stat.isSymbolicLink() || !(stat.isDirectory() || stat.isFile())) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export function rolloutSize(file: string | null): number {
  if (!file) return 0;
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Tool calls (shell commands and patches) with their outputs, written to the rollout after `from` bytes (at most 4 MB read). */
export function rolloutCalls(file: string, from: number): RolloutCall[] {
  const size = rolloutSize(file);
  const length = Math.min(size - from, 4 * 1024 * 1024);
  if (length <= 0) return [];
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    readSync(fd, buffer, 0, length, from);
  } finally {
    closeSync(fd);
  }
  const commands = new Map<string, string>();
  const calls: RolloutCall[] = [];
  for (const text of buffer.toString("utf8").split("\n")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = line.safeParse(json);
    const payload = parsed.success ? parsed.data.payload : undefined;
    if (!payload?.call_id) continue;
    if (payload.type === "function_call" || payload.type === "custom_tool_call") commands.set(payload.call_id, describeCall(payload));
    else if ((payload.type === "function_call_output" || payload.type === "custom_tool_call_output") && commands.has(payload.call_id)) {
      const output = typeof payload.output === "string" ? payload.output : JSON.stringify(payload.output ?? "");
      calls.push({ command: head(commands.get(payload.call_id)!, 2000), output: tail(output, 8192) });
    }
  }
  return calls;
}

function describeCall(payload: { name?: string; arguments?: string; input?: string }): string {
  if (payload.input !== undefined) return `${payload.name ?? "tool"} ${payload.input}`;
  try {
    const args = execArguments.parse(JSON.parse(payload.arguments ?? "{}"));
    const command = args.cmd ?? args.command;
    if (command !== undefined) return Array.isArray(command) ? command.join(" ") : command;
  } catch {
    // not a shell call
  }
  return `${payload.name ?? "tool"} ${payload.arguments ?? ""}`;
}
