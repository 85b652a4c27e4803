import { and, eq, isNull } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { runEvents } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { addRunTokens } from "../../lib/runs/add-run-tokens";
import { driveTurn } from "../codex/drive-turn";
import type { AgentRuntime } from "../codex/runtime";
import { threadUsage } from "../codex/thread-usage";

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
      previousUsage: (threadId) => threadUsage(db, and(eq(runEvents.runId, runId), isNull(runEvents.taskId)), threadId),
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
