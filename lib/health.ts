import "server-only";
import { and, gt, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runners } from "../db/schema";

/** A runner not heard from for this long is not counted (it writes every 5 s). */
const RUNNER_STALE_AFTER_SECONDS = 20;

export type Health = { ok: boolean; db: boolean; runners: number };

/** `ok` means Foreman can do work: the database answers and a runner is alive. */
export async function checkHealth(db: Db): Promise<Health> {
  try {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(runners)
      .where(and(isNull(runners.stoppedAt), gt(runners.lastSeenAt, sql`now() - make_interval(secs => ${RUNNER_STALE_AFTER_SECONDS})`)));
    const alive = row?.count ?? 0;
    return { ok: alive > 0, db: true, runners: alive };
  } catch {
    return { ok: false, db: false, runners: 0 };
  }
}

/** What every page says when a live runner runs workers uncontained or cannot run them (DESIGN.md §9). */
export async function containmentWarnings(db: Db): Promise<string[]> {
  try {
    const rows = await db
      .selectDistinct({ containment: runners.containment, note: runners.containmentNote })
      .from(runners)
      .where(and(isNull(runners.stoppedAt), gt(runners.lastSeenAt, sql`now() - make_interval(secs => ${RUNNER_STALE_AFTER_SECONDS})`), ne(runners.containment, "bwrap")));
    return rows.map((row) =>
      row.containment === "off"
        ? "Workers run without Foreman's containment layer (FOREMAN_CONTAINMENT=off): agent commands can read and change anything the Foreman user can."
        : `Workers cannot start: ${row.note ?? "this host cannot contain them"}`,
    );
  } catch {
    return [];
  }
}

/** What every page says when no live runner has a usable model, with the fix (lib/model-check.ts). */
export async function modelWarnings(db: Db): Promise<string[]> {
  try {
    const rows = await db
      .selectDistinct({ note: runners.modelNote })
      .from(runners)
      .where(and(isNull(runners.stoppedAt), gt(runners.lastSeenAt, sql`now() - make_interval(secs => ${RUNNER_STALE_AFTER_SECONDS})`), isNotNull(runners.modelNote)));
    return rows.flatMap((row) => (row.note ? [row.note] : []));
  } catch {
    return [];
  }
}
