import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WRAPPER = fileURLToPath(new URL("./sigint-wrapper.mjs", import.meta.url));

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * Writes the executable the SDK starts instead of codex (`codexPathOverride`):
 * a shell launcher that execs Node on sigint-wrapper.mjs, which starts codex in
 * its own process group and turns TERM into INT (DESIGN.md §6).
 */
export function installCodexLauncher(dir: string, codexBinary: string): string {
  mkdirSync(dir, { recursive: true });
  const launcher = path.join(dir, "codex-launcher.sh");
  const script = `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(WRAPPER)} ${quote(codexBinary)} "$@"\n`;
  let current: string | null = null;
  try {
    current = readFileSync(launcher, "utf8");
  } catch {
    // not written yet
  }
  if (current !== script) {
    // Written aside and renamed: another runner on this data directory may be starting codex right now.
    const temporary = `${launcher}.${process.pid}.tmp`;
    writeFileSync(temporary, script, { mode: 0o755 });
    renameSync(temporary, launcher);
  }
  chmodSync(launcher, 0o755);
  return launcher;
}
