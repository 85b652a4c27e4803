import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SETUP_URL_FILE = "setup-url";

/**
 * While no account exists, each start makes a setup link (valid for an hour)
 * that creates the owner. The link is a credential, so it is never printed by
 * this process (whose output `npm start` copies to logs/foreman.log and Docker
 * keeps as compose logs): it goes to FOREMAN_DATA_DIR/setup-url, readable by
 * this user only; `npm start` shows it on an interactive terminal.
 */
export function announceSetupLink(config: { publicUrl: string; dataDir: string }, link: { token: string; expiresAt: Date }): void {
  const url = `${config.publicUrl}/setup?token=${encodeURIComponent(link.token)}`;
  const file = path.join(config.dataDir, SETUP_URL_FILE);
  try {
    writeFileSync(file, `${url}\n`, { mode: 0o600 });
  } catch (error) {
    console.log(`[web] No account exists yet, and the setup link could not be written to ${file} (${error instanceof Error ? error.message : String(error)}).`);
    console.log("[web] Create the owner with `npm run admin -- create-user --email E --password P --role owner` instead.");
    return;
  }
  console.log(`[web] No account exists yet: the one-time setup link (valid until ${link.expiresAt.toISOString()}) is in ${file}`);
}

/** Once any account exists, a leftover setup-url file is removed. */
export function removeSetupLinkFile(dataDir: string): void {
  rmSync(path.join(dataDir, SETUP_URL_FILE), { force: true });
}
