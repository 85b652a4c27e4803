import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { runs } from "../../db/schema";
import type { TokenUsage } from "../events/types";
import { pauseAtTokenBudget } from "./token-budget";

/** Adds one turn's tokens (a worker's or the manager's) to the run's totals; a running run that reaches its budget pauses. */
export async function addRunTokens(tx: Queryable, runId: string, usage: TokenUsage): Promise<void> {
  await tx
    .update(runs)
    .set({
      tokensInput: sql`${runs.tokensInput} + ${usage.input}`,
      tokensCachedInput: sql`${runs.tokensCachedInput} + ${usage.cachedInput}`,
      tokensOutput: sql`${runs.tokensOutput} + ${usage.output}`,
    })
    .where(eq(runs.id, runId));
  await pauseAtTokenBudget(tx, runId);
}
