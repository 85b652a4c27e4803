import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { attempts } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { AttemptStatus } from "./status";
import { ATTEMPT_TRANSITIONS } from "./transitions";

const FINAL: readonly AttemptStatus[] = ["completed", "failed", "abandoned", "interrupted"];

/**
 * Moves an attempt to `to` when its status allows it, records why (exitReason
 * for endings) and appends `attempt.status_changed`. Zero rows is a conflict.
 */
export async function transitionAttempt(
  tx: Queryable,
  attemptId: string,
  to: AttemptStatus,
  options: TransitionOptions<AttemptStatus> = {},
): Promise<{ from: AttemptStatus; to: AttemptStatus }> {
  const [current] = await tx
    .select({ status: attempts.status, runId: attempts.runId, taskId: attempts.taskId, number: attempts.number })
    .from(attempts)
    .where(eq(attempts.id, attemptId))
    .for("no key update");
  if (!current) throw new AppError("not_found", "No such attempt.");
  const ending = FINAL.includes(to);
  const [row] = await tx
    .update(attempts)
    .set({
      status: to,
      lastActivityAt: new Date(),
      ...(ending ? { endedAt: new Date(), exitReason: options.reason ?? null, pid: null, pgid: null } : { endedAt: null, exitReason: null }),
    })
    .where(and(eq(attempts.id, attemptId), inArray(attempts.status, allowedFrom(ATTEMPT_TRANSITIONS, to, options.from))))
    .returning({ status: attempts.status });
  if (!row) throw transitionConflict(`Attempt ${current.number}`, current.status, to);
  await appendEvent(tx, {
    runId: current.runId,
    taskId: current.taskId,
    payload: { type: "attempt.status_changed", attempt: current.number, from: current.status, to, reason: options.reason ?? null },
  });
  return { from: current.status, to };
}
