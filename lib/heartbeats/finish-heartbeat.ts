import { and, eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { heartbeats } from "../../db/schema";
import type { HeartbeatStatus } from "./status";

type HeartbeatRow = typeof heartbeats.$inferSelect;

/**
 * Ends a heartbeat that is still `running` (the only state a heartbeat leaves):
 * `UPDATE … WHERE status = 'running'`. Returns false when another writer ended
 * it first — the caller then writes nothing of its own.
 */
export async function finishHeartbeat(
  tx: Queryable,
  heartbeatId: string,
  to: Exclude<HeartbeatStatus, "running">,
  set: Partial<Pick<HeartbeatRow, "error" | "finishedAt" | "decisions" | "observations">>,
): Promise<boolean> {
  // Race: a later heartbeat abandoned this one as stale (its runner seemed gone) while the manager still answered.
  const rows = await tx
    .update(heartbeats)
    .set({ ...set, status: to })
    .where(and(eq(heartbeats.id, heartbeatId), eq(heartbeats.status, "running")))
    .returning({ id: heartbeats.id });
  return rows.length > 0;
}
