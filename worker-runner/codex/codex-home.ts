import { lstatSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { userLoginFile } from "../../lib/model-check";

/** Whose Codex threads a home holds: one task's worker thread(s), or one run's manager threads. */
export type CodexHomeOwner = { kind: "task"; id: string } | { kind: "run"; id: string };

/**
 * The root of this runner's Codex homes under the data directory, keyed by
 * host so a restarted runner finds its threads again.
 */
export function codexHomesRoot(dataDir: string, hostname: string): string {
  const root = codexHomesPath(dataDir, hostname);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return root;
}

const codexHomesPath = (dataDir: string, hostname: string) => path.join(dataDir, "codex-homes", hostname.replace(/[^A-Za-z0-9._-]/g, "_") || "runner");
const homeName = (owner: CodexHomeOwner) => `${owner.kind}-${owner.id.replace(/[^A-Za-z0-9._-]/g, "_")}`;

/** Where a runner with this data directory keeps the owner's CODEX_HOME (nothing is created). */
export function codexHomePath(dataDir: string, hostname: string, owner: CodexHomeOwner): string {
  return path.join(codexHomesPath(dataDir, hostname), homeName(owner));
}

/**
 * One CODEX_HOME per task (workers) or per run (manager): threads persist in
 * its `sessions/`, so resuming a thread needs the same home, and a worker's
 * tools can read no other task's threads. Codex needs the directory to exist
 * before it starts. `linkUserLogin` links the user's `codex login` in (only
 * without containment: a contained codex gets the login mounted instead).
 */
export function ensureCodexHome(root: string, owner: CodexHomeOwner, options: { linkUserLogin: boolean }): string {
  const home = path.join(root, homeName(owner));
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (options.linkUserLogin) linkUserLogin(home);
  return home;
}

export { userLoginFile } from "../../lib/model-check";

function linkUserLogin(home: string) {
  const target = path.join(home, "auth.json");
  const login = userLoginFile();
  if (!login || pathExists(target)) return;
  // A link, not a copy: Codex refreshes the login's tokens in place.
  symlinkSync(login, target);
}

function pathExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
