import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rateLimits } from "../../db/schema";

/**
 * Sign-in is limited per account as well as per address (DESIGN.md §9). The
 * per-address limit (better-auth, SIGN_IN_ATTEMPTS_PER_MINUTE) stops one
 * client guessing across many accounts; this one stops many addresses guessing
 * one account. After ACCOUNT_FREE_FAILURES wrong passwords in a row an account
 * accepts one attempt per backoff period, doubling from 30 s up to 15 min; a
 * right password resets it. Attempts it refuses never reach better-auth, so
 * they use up no address budget: one client hammering one account does not
 * lock others out of signing in from that address.
 *
 * The state lives in better-auth's own rate_limits table (shared by every web
 * node) under `account:<email>` keys: count = attempts since the last right
 * password, last_request = when the last one was let through (ms).
 */
export const ACCOUNT_FREE_FAILURES = 5;
const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 15 * 60_000;

const keyOf = (email: string) => `account:${email.trim().toLowerCase()}`;

export function backoffMs(failures: number): number {
  if (failures < ACCOUNT_FREE_FAILURES) return 0;
  return Math.min(FIRST_BACKOFF_MS * 2 ** (failures - ACCOUNT_FREE_FAILURES), MAX_BACKOFF_MS);
}

/**
 * Takes one attempt for this account, counted as a wrong password until
 * `signInSucceeded` says otherwise. Returns 0 when the attempt may go ahead,
 * else the milliseconds to wait.
 * Race: check and count are one statement, so parallel guesses from many
 * addresses cannot all slip through on the same reading.
 */
export async function takeSignInAttempt(db: Db, email: string): Promise<number> {
  const key = keyOf(email);
  const now = Date.now();
  const backoff = sql`least(${FIRST_BACKOFF_MS}::bigint * power(2, greatest(${rateLimits.count} - ${ACCOUNT_FREE_FAILURES}, 0))::bigint, ${MAX_BACKOFF_MS}::bigint)`;
  const taken = await db
    .insert(rateLimits)
    .values({ id: key, key, count: 1, lastRequest: now })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: { count: sql`${rateLimits.count} + 1`, lastRequest: now },
      setWhere: sql`${rateLimits.count} < ${ACCOUNT_FREE_FAILURES} or ${rateLimits.lastRequest} + ${backoff} <= ${now}`,
    })
    .returning({ count: rateLimits.count });
  if (taken.length > 0) return 0;
  const [row] = await db.select({ count: rateLimits.count, lastRequest: rateLimits.lastRequest }).from(rateLimits).where(eq(rateLimits.key, key));
  return row ? Math.max(1000, row.lastRequest + backoffMs(row.count) - now) : 1000;
}

/** A right password: the account's count starts again. */
export async function signInSucceeded(db: Db, email: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, keyOf(email)));
}
