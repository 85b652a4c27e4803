import { hostname } from "node:os";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { runners } from "../db/schema";
import type { Containment } from "./contain/containment";

export const LIVENESS_INTERVAL_MS = 5_000;
/** A runner not seen for this long counts as gone (GET /api/health). */
export const RUNNER_STALE_AFTER_MS = 20_000;

/** Keeps this runner's row fresh so the web can tell whether anyone is working. */
export async function registerRunner(db: Db, runner: { id: string; version: string; maxWorkers: number; containment: Containment; modelNote: string | null }) {
  const containment = {
    containment: runner.containment.kind,
    containmentNote: runner.containment.kind === "bwrap" ? null : runner.containment.reason,
    modelNote: runner.modelNote,
  };
  const beat = () =>
    db
      .insert(runners)
      .values({ id: runner.id, hostname: hostname(), pid: process.pid, version: runner.version, maxWorkers: runner.maxWorkers, ...containment })
      .onConflictDoUpdate({ target: runners.id, set: { lastSeenAt: sql`now()`, stoppedAt: null } });
  await beat();
  const timer = setInterval(() => {
    beat().catch((error: unknown) => console.error(`[runner] liveness update failed: ${String(error)}`));
  }, LIVENESS_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await db.update(runners).set({ stoppedAt: sql`now()` }).where(eq(runners.id, runner.id));
    },
  };
}
