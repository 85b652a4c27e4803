import { and, eq, inArray } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { attempts } from "../../db/schema";
import type { AgentRuntime } from "../codex/runtime";
import { handBack } from "../work/hand-back";

/**
 * An attempt is never "running" without a process: the attempts this runner
 * holds live in the database are checked against the ones it is working (after
 * a database outage a failed write may have ended the work, and a crash between
 * claim and work leaves a claim behind). Any it holds but does not work is
 * handed back and continues on its thread. Returns the attempts handed back.
 */
export async function checkOwnAttempts(
  db: Db,
  boss: PgBoss,
  runtime: AgentRuntime,
  self: { runnerId: string },
  options: { settleMs: number; why: "lost" | "stopped" } = { settleMs: 2_000, why: "lost" },
): Promise<string[]> {
  const held = await db
    .select({ id: attempts.id, runId: attempts.runId, taskId: attempts.taskId, number: attempts.number })
    .from(attempts)
    .where(and(eq(attempts.runnerId, self.runnerId), inArray(attempts.status, ["starting", "running"])));
  const handed: string[] = [];
  for (const attempt of held) {
    // Race: a claim commits before its job registers the attempt as worked; only one seen unworked twice is lost.
    if (runtime.working.has(attempt.id)) continue;
    if (options.settleMs > 0) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    if (runtime.working.has(attempt.id)) continue;
    const target = { runId: attempt.runId, taskId: attempt.taskId, attemptId: attempt.id, attemptNumber: attempt.number, runnerId: self.runnerId };
    const reason =
      options.why === "stopped"
        ? `Runner ${self.runnerId} stopped while attempt ${attempt.number} was between turns; it was handed back and continues on its thread.`
        : `Runner ${self.runnerId} found attempt ${attempt.number} marked running with no work behind it (a database outage or a crash ended it); it was handed back and continues on its thread.`;
    if (await handBack(db, boss, target, reason)) handed.push(attempt.id);
  }
  return handed;
}
