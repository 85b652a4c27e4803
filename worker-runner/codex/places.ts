import { lstatSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AgentRuntime } from "./runtime";
import { ensureCodexHome, type CodexHomeOwner, userLoginFile } from "./codex-home";
import { JAIL_HOME, nodeInstallDir, requireContainment, sandboxArgs, SYSTEM_PATH } from "../contain/containment";

/** CODEX_HOME as a contained codex sees it: a fixed path outside any temporary directory (codex refuses helpers there). */
export const JAIL_CODEX_HOME = "/foreman/codex-home";

/** Where agent-written content runs: a task's worktree (read-write) or a repository checkout (read-only, the manager). */
export type Place = {
  cwd: string;
  /** The task's worktree; null for the manager, which only reads. */
  worktree: string | null;
  /** The repository checkout the worktree belongs to (its `.git` holds the worktree's metadata). */
  repoPath: string;
};

/** What to prepend to a command to run it contained, and the environment basics that go with it. */
export type Confinement = {
  /** argv prefix (bubblewrap and its arguments, ending with "--"); empty without containment. */
  prefix: string[];
  home: string;
  path: string;
};

/** The read-only part every sandbox of a place shares: git metadata and the installs its tools need. */
function placeMounts(runtime: AgentRuntime, place: Place) {
  const gitDir = path.join(place.repoPath, ".git");
  const readOnly = place.worktree
    ? // A worktree needs its repository's git metadata (objects, refs, its own gitdir), not the checkout's files.
      [gitDir]
    : [place.repoPath];
  return {
    readOnly: [...readOnly, nodeInstallDir(), codexVendorDir(runtime)],
    writable: place.worktree ? [place.worktree] : [],
    // The worktree's `.git` link stays as Foreman made it: the runner's git follows it.
    pinned: place.worktree && isPlainFile(path.join(place.worktree, ".git")) ? [path.join(place.worktree, ".git")] : [],
  };
}

/** A setup script or verification command in a place: contained, with no network unless `network`. */
export function commandConfinement(runtime: AgentRuntime, place: Place, options: { network: boolean; readOnly?: readonly string[] }): Confinement {
  const jail = requireContainment(runtime.jail);
  const pathValue = [path.join(nodeInstallDir(), "bin"), SYSTEM_PATH].join(path.delimiter);
  if (jail.kind === "off") return { prefix: [], home: os.homedir(), path: pathValue };
  const mounts = placeMounts(runtime, place);
  return {
    prefix: [jail.bwrap, ...sandboxArgs(jail, { cwd: place.cwd, ...mounts, readOnly: [...mounts.readOnly, ...(options.readOnly ?? [])], network: options.network })],
    home: JAIL_HOME,
    path: pathValue,
  };
}

/**
 * A codex process for a place: contained with its own CODEX_HOME (one per
 * task or run) mounted at a fixed path, the user's login mounted where it is
 * used, network for codex itself (its tools get none from codex's own
 * sandbox); its tools die with it (the sandbox's init ends when codex does).
 */
export function codexConfinement(runtime: AgentRuntime, place: Place, owner: CodexHomeOwner): Confinement & { codexHome: string; hostCodexHome: string } {
  const jail = requireContainment(runtime.jail);
  const hostCodexHome = ensureCodexHome(runtime.codexHomes, owner, { linkUserLogin: runtime.usesUserLogin && jail.kind === "off" });
  const config = writeCodexConfig(hostCodexHome, [place.cwd, place.repoPath, ...(place.worktree ? [place.worktree] : [])]);
  const pathValue = [...runtime.codex.pathDirs, path.join(nodeInstallDir(), "bin"), SYSTEM_PATH].join(path.delimiter);
  if (jail.kind === "off") return { prefix: [], home: os.homedir(), path: pathValue, codexHome: hostCodexHome, hostCodexHome };
  const mounts = placeMounts(runtime, place);
  const login = runtime.usesUserLogin ? userLoginFile() : null;
  const args = sandboxArgs(jail, {
    cwd: place.cwd,
    ...mounts,
    mounts: [
      { source: hostCodexHome, target: JAIL_CODEX_HOME, writable: true },
      { source: config, target: path.join(JAIL_CODEX_HOME, "config.toml"), writable: false },
      ...(login ? [{ source: login, target: path.join(JAIL_CODEX_HOME, "auth.json"), writable: true }] : []),
    ],
    network: true,
    infoFd: 3,
  });
  return { prefix: [jail.bwrap, ...args], home: JAIL_HOME, path: pathValue, codexHome: JAIL_CODEX_HOME, hostCodexHome };
}

/**
 * CODEX_HOME/config.toml, written by Foreman before every turn and shown to
 * codex read-only. Codex would otherwise record the worktree as a trusted
 * project there, and a trusted project's `.codex/config.toml` (which the
 * worker can write) would then configure codex itself: MCP servers, sandbox
 * mode. Every place codex works in is pinned untrusted instead.
 */
function writeCodexConfig(home: string, places: string[]): string {
  const file = path.join(home, "config.toml");
  const lines = ["# Written by Foreman before every turn; codex reads it and cannot change it.", ""];
  for (const place of new Set(places)) lines.push(`[projects.${JSON.stringify(place)}]`, `trust_level = "untrusted"`, "");
  const text = lines.join("\n");
  // Written aside and renamed: never through a link, never half-written.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: "w" });
  renameSync(temporary, file);
  return file;
}

/** The vendor directory of the installed codex (its binary, rg, and codex's own bubblewrap). */
function codexVendorDir(runtime: AgentRuntime): string {
  return path.dirname(path.dirname(runtime.codex.binary));
}

function isPlainFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}
