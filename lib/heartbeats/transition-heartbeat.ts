import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { heartbeats } from "../../db/schema";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { HeartbeatStatus } from "./status";
import { HEARTBEAT_TRANSITIONS } from "./transitions";

type HeartbeatRow = typeof heartbeats.$inferSelect;

/** What the heartbeat saw and decided, stored with its end; `reason` is the error of a failed one. */
export type HeartbeatTransitionOptions = TransitionOptions<HeartbeatStatus> & Partial<Pick<HeartbeatRow, "decisions" | "observations">>;

/**
 * Ends a heartbeat that is still `running` (the only state a heartbeat
 * leaves). Zero rows is a conflict: another writer ended it first (a later
 * heartbeat abandoned it as stale), and this writer's record is not stored.
 */
export async function transitionHeartbeat(tx: Queryable, heartbeatId: string, to: HeartbeatStatus, options: HeartbeatTransitionOptions = {}): Promise<void> {
  const { reason, from, ...record } = options;
  const [row] = await tx
    .update(heartbeats)
    .set({ ...record, status: to, finishedAt: sql`now()`, ...(to === "failed" ? { error: reason ?? null } : {}) })
    .where(and(eq(heartbeats.id, heartbeatId), inArray(heartbeats.status, allowedFrom(HEARTBEAT_TRANSITIONS, to, from))))
    .returning({ id: heartbeats.id });
  if (row) return;
  const [current] = await tx.select({ status: heartbeats.status }).from(heartbeats).where(eq(heartbeats.id, heartbeatId));
  throw transitionConflict("The heartbeat", current?.status, to);
}
