import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The runner's CODEX_HOME under the data directory: threads persist in its
 * `sessions/`, so resuming a thread needs the same home. It is keyed by host,
 * so a restarted runner finds its threads again. Codex needs the directory to
 * exist before it starts.
 */
export function ensureCodexHome(dataDir: string, hostname: string, options: { linkUserLogin: boolean }): string {
  const home = path.join(dataDir, "codex-homes", hostname.replace(/[^A-Za-z0-9._-]/g, "_") || "runner");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  if (options.linkUserLogin) linkUserLogin(home);
  return home;
}

/** Without a key or endpoint Codex uses the user's `codex login`, which lives in ~/.codex/auth.json. */
function linkUserLogin(home: string) {
  const target = path.join(home, "auth.json");
  const login = path.join(os.homedir(), ".codex", "auth.json");
  if (!existsSync(login) || pathExists(target)) return;
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
