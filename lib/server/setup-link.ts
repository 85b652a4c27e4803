import { writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The first start prints a one-time link that creates the owner account (as
 * Jupyter prints its token URL). It is also written, readable by this user only,
 * to FOREMAN_DATA_DIR/setup-url for scripted installs; it is removed once used.
 */
export function announceSetupLink(config: { publicUrl: string; dataDir: string }, token: string): void {
  const url = `${config.publicUrl}/setup?token=${encodeURIComponent(token)}`;
  try {
    writeFileSync(path.join(config.dataDir, "setup-url"), `${url}\n`, { mode: 0o600 });
  } catch {
    // The data directory is optional for a web node with DATABASE_URL; the log line is enough.
  }
  console.log("");
  console.log("  No account exists yet. Create the owner account here (this link works once):");
  console.log(`  ${url}`);
  console.log("");
}
