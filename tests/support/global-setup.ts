import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../db/embedded";
import { migrateDatabase } from "../../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser connection to the test server's `postgres` database. */
    adminUrl: string;
    /** A migrated database that each test file clones. */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL per test run: DATABASE_URL when set, else an embedded server.
 * A template database is migrated once; each test file clones it (fast, isolated).
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedPostgres | null = null;
  let baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-test-pg-"));
    server = await startEmbeddedPostgres({ dataDir, ephemeral: true, database: "postgres" });
    baseUrl = server.url;
  }
  const templateDatabase = `foreman_template_${process.pid}`;
  const adminUrl = withDatabase(baseUrl, "postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${templateDatabase}`);
  await admin.unsafe(`create database ${templateDatabase}`);
  await migrateDatabase(withDatabase(baseUrl, templateDatabase));
  await admin.end();

  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    if (server) {
      await server.stop();
      return;
    }
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const leftovers = await cleanup<{ datname: string }[]>`
      select datname from pg_database where datname = ${templateDatabase} or datname like ${`t_${process.pid}_%`}`;
    for (const { datname } of leftovers) await cleanup.unsafe(`drop database if exists "${datname}" with (force)`);
    await cleanup.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
