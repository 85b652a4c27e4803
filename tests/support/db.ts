import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, inject } from "vitest";
import { createDb } from "../../db/client";

export type TestDatabase = ReturnType<typeof createDb> & { url: string; name: string };

/**
 * A fresh database for this test file, cloned from the migrated template, and
 * dropped when the file's tests are done.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("adminUrl");
  const template = inject("templateDatabase");
  const name = `t_${template.split("_").at(-1)}_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  for (let tryNo = 0; ; tryNo++) {
    try {
      await admin.unsafe(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      // Two files cloning at the same moment: "source database is being accessed by other users".
      if (tryNo >= 20 || (error as { code?: string }).code !== "55006") throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = createDb(url.toString(), { max: 10, name: "test" });
  const handle = { ...database, url: url.toString(), name };
  afterAll(async () => {
    await database.close();
    const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });
  return handle;
}
