import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runs } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { RunStatus } from "./status";
import { RUN_TRANSITIONS } from "./transitions";

/**
 * Moves a run to `to` if, and only if, its current status allows it
 * (lib/runs/transitions.ts), and records the change as an event. Zero rows
 * updated is a conflict, never a silent overwrite.
 */
export async function transitionRun(
  tx: Queryable,
  runId: string,
  to: RunStatus,
  options: TransitionOptions<RunStatus> = {},
): Promise<{ from: RunStatus; to: RunStatus }> {
  const allowed = allowedFrom(RUN_TRANSITIONS, to, options.from);
  const [current] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
  if (!current) throw new AppError("not_found", "No such run.");
  const now = new Date();
  const [row] = await tx
    .update(runs)
    .set({
      status: to,
      statusReason: options.reason ?? null,
      version: sql`${runs.version} + 1`,
      ...(to === "running" ? { startedAt: sql`coalesce(${runs.startedAt}, now())` } : {}),
      ...(to === "completed" || to === "cancelled" || to === "failed" ? { finishedAt: now } : {}),
    })
    .where(and(eq(runs.id, runId), inArray(runs.status, allowed)))
    .returning({ status: runs.status });
  if (!row) throw transitionConflict("The run", current.status, to);
  await appendEvent(tx, { runId, payload: { type: "run.status_changed", from: current.status, to, reason: options.reason ?? null } });
  return { from: current.status, to };
}
