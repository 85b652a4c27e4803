import { hostname } from "node:os";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runners } from "../../db/schema";
import type { Containment } from "../contain/containment";

/** How often a runner renews its lease. */
export const RENEW_EVERY_MS = 5_000;
/** A runner's lease: once it has not been renewed for this long, another runner takes its attempts over. */
export const LEASE_MS = 20_000;

export type Lease = { stop(): Promise<void> };

/**
 * Registers this runner and keeps its lease in PostgreSQL. A renewal that
 * finds the lease taken over (the runner was frozen, or cut off from the
 * database, for longer than LEASE_MS and another runner took its attempts)
 * calls `onLost` once: the runner stands down. A renewal the database cannot
 * take (an outage) is tried again at the next tick; the lease is long enough
 * to outlast a restart of PostgreSQL.
 */
export async function registerRunner(
  db: Db,
  runner: { id: string; version: string; maxWorkers: number; containment: Containment; modelNote: string | null; restartNote: string | null },
  onLost: (why: string) => void,
): Promise<Lease> {
  const lease = sql`now() + make_interval(secs => ${LEASE_MS / 1000})`;
  await db.insert(runners).values({
    id: runner.id,
    hostname: hostname(),
    pid: process.pid,
    version: runner.version,
    maxWorkers: runner.maxWorkers,
    containment: runner.containment.kind,
    containmentNote: runner.containment.kind === "bwrap" ? null : runner.containment.reason,
    modelNote: runner.modelNote,
    restartNote: runner.restartNote,
    leaseExpiresAt: lease,
  });
  let lost = false;
  const renew = async () => {
    const renewed = await db
      .update(runners)
      .set({ lastSeenAt: sql`now()`, leaseExpiresAt: lease })
      .where(and(eq(runners.id, runner.id), isNull(runners.takenOverAt), isNull(runners.stoppedAt)))
      .returning({ id: runners.id });
    if (renewed.length > 0 || lost) return;
    lost = true;
    clearInterval(timer);
    const [row] = await db.select({ by: runners.takenOverBy }).from(runners).where(eq(runners.id, runner.id));
    onLost(`runner ${runner.id} lost its lease${row?.by ? ` to runner ${row.by}, which took its work over` : ""}`);
  };
  const timer = setInterval(() => {
    renew().catch((error: unknown) => console.error(`[runner] lease renewal failed (tried again in ${RENEW_EVERY_MS / 1000} s): ${String(error)}`));
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await db.update(runners).set({ stoppedAt: sql`now()`, leaseExpiresAt: sql`now()` }).where(eq(runners.id, runner.id));
    },
  };
}
