import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runEvents } from "../../db/schema";
import { readEventPayload } from "../../lib/events/read-event";
import type { TokenUsage } from "../../lib/events/types";

/**
 * A thread's running token total after its last completed turn, among the
 * events `whose` selects (a task's, or a run's own), so the next turn's
 * usage is counted as the difference. Null for a thread with no completed turn.
 */
export async function threadUsage(db: Db, whose: SQL | undefined, threadId: string): Promise<TokenUsage | null> {
  const [row] = await db
    .select({ type: runEvents.type, payload: runEvents.payload })
    .from(runEvents)
    .where(and(whose, eq(runEvents.type, "agent.turn_completed"), sql`${runEvents.payload}->>'threadId' = ${threadId}`))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return readEventPayload(row, "agent.turn_completed")?.cumulative ?? null;
}
