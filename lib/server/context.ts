import "server-only";
import type { PgBoss } from "pg-boss";
import { createDb } from "../../db/client";
import { env } from "../env";
import { createBoss } from "../jobs/boss";
import { type Auth, createAuth } from "../auth/auth";

/**
 * Process-wide handles for the web process. Next loads route modules in bundles
 * of their own, apart from server.ts; keeping the handles on globalThis gives
 * the whole process one pool instead of one per bundle.
 */
type Handles = { database?: ReturnType<typeof createDb>; boss?: Promise<PgBoss>; auth?: Auth };
const handles = ((globalThis as { __foreman?: Handles }).__foreman ??= {});

export function databaseUrl(): string {
  const url = env().databaseUrl;
  if (!url) throw new Error("DATABASE_URL is not set: start Foreman with `npm start`, which provides the database.");
  return url;
}

export function getDatabase() {
  handles.database ??= createDb(databaseUrl(), { max: 10, name: "web" });
  return handles.database;
}

export const getDb = () => getDatabase().db;

export function getAuth(): Auth {
  handles.auth ??= createAuth(getDb(), { secret: env().secret, publicUrl: env().publicUrl });
  return handles.auth;
}

/** A pg-boss instance that only enqueues; the runner does the work. */
export function getBoss(): Promise<PgBoss> {
  handles.boss ??= (async () => {
    const boss = createBoss(databaseUrl(), "web");
    boss.on("error", (error) => console.error(`[jobs] ${error.message}`));
    await boss.start();
    return boss;
  })();
  return handles.boss;
}

export async function closeContext(): Promise<void> {
  const boss = handles.boss;
  const database = handles.database;
  handles.boss = undefined;
  handles.database = undefined;
  handles.auth = undefined;
  if (boss) await (await boss).stop({ graceful: false, close: true }).catch(() => {});
  if (database) await database.close();
}
