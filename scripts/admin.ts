import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { createDb } from "../db/client";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { eq } from "drizzle-orm";
import { users } from "../db/schema";
import { createApiToken } from "../lib/auth/api-tokens";
import { createAuth } from "../lib/auth/auth";
import { createUser } from "../lib/auth/create-user";
import { emailSchema, passwordSchema, roleSchema } from "../lib/auth/schema";
import { env } from "../lib/env";
import { removeSetupLinkFile } from "../lib/server/setup-link";
import { exitWith } from "../lib/shared/fatal";

/**
 * `npm run admin -- create-user --email E --password P --role owner|operator|viewer`
 * `npm run admin -- create-token --email E [--name N]`   (prints the token once)
 * Uses DATABASE_URL, else the embedded database of a running `npm start`, else
 * starts the embedded database for the moment.
 */
const usage = "usage: npm run admin -- create-user --email E --password P --role owner|operator|viewer\n       npm run admin -- create-token --email E [--name NAME]";

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  });
  const command = positionals[0];
  if (command !== "create-user" && command !== "create-token") throw new Error(usage);
  const config = env();
  const { url, embedded } = await databaseUrl(config);
  const database = createDb(url, { max: 2, name: "admin" });
  try {
    const auth = createAuth(database.db, { secret: config.secret, publicUrl: config.publicUrl });
    const email = parse(emailSchema, values.email, "--email");
    if (command === "create-user") {
      const password = parse(passwordSchema, values.password, "--password");
      const role = parse(roleSchema, values.role, "--role");
      const user = await createUser(database.db, auth, { email, password, role, name: values.name ?? email.split("@")[0]! });
      // The database dropped any setup link with this first account (users trigger); drop its file too.
      removeSetupLinkFile(config.dataDir);
      console.log(`created ${user.role} ${user.email} (${user.id})`);
    } else {
      const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (!user) throw new Error(`No user ${email}; create it first with create-user.`);
      const token = await createApiToken(database.db, user.id, values.name ?? "admin CLI");
      // The only output: scripts capture it with $(npm run --silent admin -- create-token …).
      console.log(token.token);
    }
  } finally {
    await database.close();
    await embedded?.stop();
  }
}

function parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${flag} ${value === undefined ? "is required" : parsed.error.issues[0]?.message ?? "is invalid"}.\n${usage}`);
  return parsed.data;
}

async function databaseUrl(config: ReturnType<typeof env>): Promise<{ url: string; embedded: EmbeddedPostgres | null }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null };
  const running = path.join(config.dataDir, "postgres.url");
  if (existsSync(running)) {
    const url = readFileSync(running, "utf8").trim();
    const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
    const alive = await probe`select 1`.then(() => true, () => false);
    await probe.end();
    if (alive) return { url, embedded: null };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  await migrateDatabase(embedded.url);
  return { url: embedded.url, embedded };
}

main().catch(exitWith("admin"));
