import { migrateDatabase } from "../db/migrate";
import { redactUrl } from "../db/client";
import { env } from "../lib/env";
import { exitWith } from "../lib/shared/fatal";

/** `npm run db:migrate` (and docker compose's `migrate` service): needs DATABASE_URL. */
async function main() {
  const url = env().databaseUrl;
  if (!url) throw new Error("DATABASE_URL is not set. `npm start` migrates the embedded database by itself; this command is for an external PostgreSQL.");
  await migrateDatabase(url);
  console.log(`migrations applied to ${redactUrl(url)}`);
}

main().catch(exitWith("migrate"));
