import { and, eq, inArray } from "drizzle-orm";
import type { Db, Sql } from "../db/client";
import { attempts } from "../db/schema";
import { CONTROL_CHANNEL, type ControlMessage, controlMessageSchema } from "../lib/runs/control-message";
import type { AgentRuntime } from "./codex/runtime";
import { managerTurnKey } from "./manager/run-manager-turn";

/**
 * Pause and cancel reach this runner as NOTIFY on `foreman_control`
 * (lib/runs/control-run.ts): every running turn of the run on this runner is
 * interrupted (SIGINT to codex, see run-turn.ts) with the human's reason.
 */
export async function listenForControl(deps: { db: Db; sql: Sql; runtime: AgentRuntime; log?: (line: string) => void }) {
  const log = deps.log ?? ((line: string) => console.log(`[runner] ${line}`));
  const listening = await deps.sql.listen(CONTROL_CHANNEL, (payload) => {
    let message: ControlMessage;
    try {
      const parsed = controlMessageSchema.safeParse(JSON.parse(payload));
      if (!parsed.success) return;
      message = parsed.data;
    } catch {
      return;
    }
    interruptRun(deps.db, deps.runtime, message).then(
      (count) => {
        if (count > 0) log(`interrupted ${count} turn(s) of run ${message.runId} (${message.reason})`);
      },
      (error: unknown) => log(`could not interrupt run ${message.runId}: ${String(error)}`),
    );
  });
  return { close: () => listening.unlisten() };
}

/** Interrupts this runner's turns of the run; returns how many it had. */
export async function interruptRun(db: Db, runtime: AgentRuntime, message: ControlMessage): Promise<number> {
  const rows = await db
    .select({ id: attempts.id })
    .from(attempts)
    .where(
      and(
        eq(attempts.runId, message.runId),
        inArray(attempts.status, ["starting", "running"]),
        message.attemptId ? eq(attempts.id, message.attemptId) : undefined,
      ),
    );
  let count = 0;
  for (const { id } of rows) if (runtime.turns.interrupt(id, message.reason)) count++;
  // A cancelled run's manager turn (review, plan) ends too.
  if (message.reason === "cancelled" && runtime.turns.interrupt(managerTurnKey(message.runId), "cancelled")) count++;
  return count;
}
