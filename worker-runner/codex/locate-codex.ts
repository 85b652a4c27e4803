import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The native codex binary of the installed `@openai/codex`, and the directories codex wants on PATH (rg). */
export type CodexInstall = { binary: string; pathDirs: string[] };

const PLATFORM_PACKAGES: Record<string, { triple: string; pkg: string }> = {
  "linux-x64": { triple: "x86_64-unknown-linux-musl", pkg: "@openai/codex-linux-x64" },
  "linux-arm64": { triple: "aarch64-unknown-linux-musl", pkg: "@openai/codex-linux-arm64" },
  "darwin-x64": { triple: "x86_64-apple-darwin", pkg: "@openai/codex-darwin-x64" },
  "darwin-arm64": { triple: "aarch64-apple-darwin", pkg: "@openai/codex-darwin-arm64" },
};

/**
 * Finds the binary the way @openai/codex-sdk does. The runner launches it
 * through its own wrapper (codexPathOverride), so the SDK's lookup is not used.
 */
export function locateCodex(): CodexInstall {
  const platform = PLATFORM_PACKAGES[`${process.platform}-${process.arch}`];
  if (!platform) throw new Error(`Codex has no binary for ${process.platform} ${process.arch}.`);
  const require = createRequire(import.meta.url);
  let vendor: string;
  try {
    const codexRequire = createRequire(require.resolve("@openai/codex/package.json"));
    vendor = path.join(path.dirname(codexRequire.resolve(`${platform.pkg}/package.json`)), "vendor", platform.triple);
  } catch {
    throw new Error(`Cannot find ${platform.pkg}: install @openai/codex with its optional dependencies (npm ci).`);
  }
  for (const [binary, pathDir] of [
    [path.join(vendor, "bin", "codex"), path.join(vendor, "codex-path")],
    [path.join(vendor, "codex", "codex"), path.join(vendor, "path")],
  ] as const) {
    if (existsSync(binary)) return { binary, pathDirs: existsSync(pathDir) ? [pathDir] : [] };
  }
  throw new Error(`The codex binary is missing under ${vendor}: reinstall @openai/codex.`);
}
