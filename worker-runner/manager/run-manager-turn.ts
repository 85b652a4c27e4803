import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { runEvents } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { addRunTokens } from "../../lib/runs/add-run-tokens";
import type { TokenUsage } from "../../lib/events/types";
import { driveTurn } from "../codex/drive-turn";
import type { AgentRuntime } from "../codex/runtime";

export type ManagerTurn = {
  db: Db;
  runtime: AgentRuntime;
  /** The runner taking the turn: it saves the thread for whichever runner takes the next one. */
  runnerId: string;
  runId: string;
  /** The run's manager thread; null starts it. */
  threadId: string | null;
  /** The repository checkout: the manager reads it, read-only. */
  cwd: string;
  model: string | null;
  prompt: string;
  outputSchema: Record<string, unknown>;
  /** Turns beside the run's own manager thread (comment triage) run under their own key. */
  turnKey?: string;
};

/** The key of a run's manager turn among the runner's active turns (and its processes' marker). */
export const managerTurnKey = (runId: string) => `manager-${runId}`;

export type ManagerTurnResult = { threadId: string | null; finalMessage: string | null; failure: string | null };

/**
 * One turn of a run's manager thread (DESIGN.md §4.2): the turn driver in a
 * read-only sandbox in the repository, with events on the run (no task),
 * tokens on the run, and the thread in the run's own CODEX_HOME.
 */
export async function runManagerTurn(input: ManagerTurn): Promise<ManagerTurnResult> {
  const { db, runId } = input;
  const result = await driveTurn({
    db,
    runtime: input.runtime,
    runnerId: input.runnerId,
    key: input.turnKey ?? managerTurnKey(runId),
    owner: { kind: "run", id: runId },
    place: { cwd: input.cwd, worktree: null, repoPath: input.cwd },
    threadId: input.threadId,
    model: input.model,
    sandboxMode: "read-only",
    prompt: input.prompt,
    outputSchema: input.outputSchema,
    position: { attempt: 0, turn: 1, purpose: "manager" },
    sink: {
      record: (payloads, extra) =>
        transactionWithRetry(db, async (tx) => {
          for (const payload of payloads) await appendEvent(tx, { runId, payload });
          if (extra.usage) await addRunTokens(tx, runId, extra.usage);
        }),
      previousUsage: (threadId) => previousUsage(db, runId, threadId),
    },
  });
  const failure =
    result.outcome === "completed"
      ? null
      : result.outcome === "interrupted"
        ? `The manager's turn was interrupted (${result.reason}).`
        : result.message;
  return { threadId: result.threadId, finalMessage: result.finalMessage, failure };
}

/** The thread's cumulative usage after its last completed turn, to diff against. */
async function previousUsage(db: Db, runId: string, threadId: string): Promise<TokenUsage | null> {
  const [row] = await db
    .select({ payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), isNull(runEvents.taskId), eq(runEvents.type, "agent.turn_completed"), sql`${runEvents.payload}->>'threadId' = ${threadId}`))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  return (row?.payload as { cumulative?: TokenUsage } | undefined)?.cumulative ?? null;
}
