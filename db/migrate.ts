import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createBoss, ensureQueues } from "../lib/jobs/boss";
import { createDb } from "./client";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies the committed drizzle migrations on their own single connection, then
 * installs pg-boss's schema and queues. Safe to run concurrently: both take locks.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const { db, sql, close } = createDb(url, { max: 1, name: "migrate" });
  try {
    // One migrator at a time, even when several processes start together.
    await sql`select pg_advisory_lock(hashtext('foreman_migrate'))`;
    await migrate(db, { migrationsFolder });
    await sql`select pg_advisory_unlock(hashtext('foreman_migrate'))`;
  } finally {
    await close();
  }
  const boss = createBoss(url, "migrate");
  boss.on("error", () => {});
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}
