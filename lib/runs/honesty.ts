import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { reports, verifications } from "../../db/schema";

/** How often workers said "done", next to how often Foreman's own verification agreed. */
export type Honesty = { claimed: number; verified: number };

/**
 * The honesty figure of a run: every valid WorkerReport with status `done` is
 * a claim; every verification that passed with no weakened check is a
 * Foreman-verified completion.
 */
export async function countHonesty(db: Queryable, runId: string): Promise<Honesty> {
  const [[claimed], [verified]] = await Promise.all([
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(reports)
      .where(and(eq(reports.runId, runId), eq(reports.kind, "worker_report"), eq(reports.valid, true), sql`${reports.payload}->>'status' = 'done'`)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(verifications)
      .where(and(eq(verifications.runId, runId), eq(verifications.status, "passed"), sql`jsonb_array_length(${verifications.weakening}) = 0`)),
  ]);
  return { claimed: claimed?.n ?? 0, verified: verified?.n ?? 0 };
}

/** "workers claimed 9, Foreman verified 6" */
export function describeHonesty(honesty: Honesty): string {
  return `workers claimed done ${honesty.claimed} time(s), Foreman verified ${honesty.verified}`;
}
