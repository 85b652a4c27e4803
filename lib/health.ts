import "server-only";
import { and, gt, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runners } from "../db/schema";

/** A runner counts while its lease holds (it renews it every 5 s) and nobody took its work over. */
const LIVE = and(isNull(runners.stoppedAt), isNull(runners.takenOverAt), gt(runners.leaseExpiresAt, sql`now()`));

export type Health = { ok: boolean; db: boolean; runners: number };

/** `ok` means Foreman can do work: the database answers and a runner is alive. */
export async function checkHealth(db: Db): Promise<Health> {
  try {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(runners)
      .where(LIVE);
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
      .where(and(LIVE, ne(runners.containment, "bwrap")));
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
      .where(and(LIVE, isNotNull(runners.modelNote)));
    return rows.flatMap((row) => (row.note ? [row.note] : []));
  } catch {
    return [];
  }
}

/** How long a runner's fault stays on every page. */
const FAULT_NOTICE_MINUTES = 15;

/**
 * What every page says for a while after a runner fault: a runner whose work
 * another runner took over (it stopped answering), and a runner `npm start`
 * restarted after a crash.
 */
export async function runnerFaults(db: Db): Promise<string[]> {
  try {
    const recent = sql`now() - make_interval(mins => ${FAULT_NOTICE_MINUTES})`;
    const taken = await db
      .select({ id: runners.id, at: runners.takenOverAt, by: runners.takenOverBy })
      .from(runners)
      .where(and(isNotNull(runners.takenOverAt), gt(runners.takenOverAt, recent)));
    const restarted = await db
      .select({ note: runners.restartNote })
      .from(runners)
      .where(and(LIVE, isNotNull(runners.restartNote), gt(runners.startedAt, recent)));
    return [
      ...taken.map((row) => `Runner ${row.id} stopped answering; runner ${row.by ?? "another runner"} took its work over at ${row.at!.toISOString().slice(11, 16)} UTC. No work was lost beyond its last turn.`),
      ...restarted.flatMap((row) => (row.note ? [`The runner was ${row.note}; its work continues.`] : [])),
    ];
  } catch {
    return [];
  }
}
