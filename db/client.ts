import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Sql = postgres.Sql;

export function createDb(url: string, options: { max?: number; name: string }) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: `foreman-${options.name}` },
    // Fail fast with a clear message instead of hanging on a dead address.
    connect_timeout: 10,
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}

export type Db = ReturnType<typeof createDb>["db"];
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = Db | Tx;

/** Hides the password of a connection string, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction rolled back whole and may run again. */
const CONFLICT = new Set(["40P01", "40001"]);
/**
 * The database went away (restarted, failed over, the network dropped): the
 * transaction never committed (or its commit is unknown, see below) and may run
 * again once PostgreSQL is back. Class 08 is connection exceptions; 57P01–57P03
 * are an administrator's shutdown and a server that is starting; the rest are
 * postgres.js's and Node's own names for a lost or refused connection.
 */
const CONNECTION = /^(08...|57P0[123]|CONNECTION_(CLOSED|ENDED|DESTROYED)|CONNECT_TIMEOUT|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)$/;

function sqlState(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Whether an error means the database could not be reached (as opposed to a query it refused). */
export function isConnectionLoss(error: unknown): boolean {
  return CONNECTION.test(sqlState(error) ?? "");
}

/** How long a runner's write waits for a database that went away before it gives up. */
export const OUTAGE_PATIENCE_MS = 120_000;

/**
 * Runs a transaction again when it failed for Foreman's own reasons, never the
 * caller's: PostgreSQL broke a deadlock or a serialization conflict by rolling
 * it back (up to `tries` times, a short jittered backoff), or the database was
 * unreachable (again and again with a growing backoff, for up to
 * OUTAGE_PATIENCE_MS: a restart or a fail-over). A commit whose reply was lost
 * with the connection is unknown; callers whose work must not repeat make it
 * idempotent.
 */
export async function transactionWithRetry<T>(db: Db, work: (tx: Tx) => Promise<T>, tries = 4): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = sqlState(error) ?? "";
      if (CONFLICT.has(code) && attempt < tries) {
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
        continue;
      }
      if (CONNECTION.test(code) && Date.now() - started < OUTAGE_PATIENCE_MS) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)) + Math.random() * 100));
        continue;
      }
      throw error;
    }
  }
}
