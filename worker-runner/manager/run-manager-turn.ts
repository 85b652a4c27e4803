import { rmSync } from "node:fs";
import path from "node:path";
import { Codex } from "@openai/codex-sdk";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { runEvents } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { addRunTokens } from "../../lib/runs/add-run-tokens";
import type { EventPayload, TokenUsage } from "../../lib/events/types";
import { head } from "../../lib/shared/cap";
import { sdkEventSchema, toEventPayloads, toUsage, type TurnState, usageDifference } from "../codex/agent-events";
import { ATTEMPT_MARKER } from "../codex/child-env";
import { codexOptions, threadOptions } from "../codex/codex-options";
import { stopMarkedProcesses } from "../codex/process-table";
import type { AgentRuntime } from "../codex/runtime";
import { codexConfinement } from "../contain/places";

export type ManagerTurn = {
  db: Db;
  runtime: AgentRuntime;
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
 * One turn of a run's manager thread (DESIGN.md §4.2): a read-only sandbox in
 * the repository, the same SDK adapter, wrapper, deadline and event recording
 * as workers, with events on the run (no task) and tokens on the run.
 */
export async function runManagerTurn(input: ManagerTurn): Promise<ManagerTurnResult> {
  const { db, runtime, runId } = input;
  const marker = input.turnKey ?? managerTurnKey(runId);
  const pidFile = path.join(runtime.stateDir, "pids", `${marker}.json`);
  const confinement = codexConfinement(runtime, { cwd: input.cwd, worktree: null, repoPath: input.cwd }, { kind: "run", id: runId });
  const codex = new Codex(codexOptions(runtime, marker, pidFile, confinement));
  const options = threadOptions({ model: input.model, sandboxMode: "read-only", worktree: input.cwd });
  const thread = input.threadId ? codex.resumeThread(input.threadId, options) : codex.startThread(options);
  const state: TurnState = {
    attempt: 0,
    turn: 1,
    purpose: "work",
    worktree: input.cwd,
    resumed: input.threadId !== null,
    threadId: input.threadId,
    finalMessage: null,
    failure: null,
    cumulative: null,
    lastTodo: null,
  };
  const previous = input.threadId ? await previousUsage(db, runId, input.threadId) : null;
  const control = runtime.turns.register(marker);
  const deadline = setTimeout(() => runtime.turns.interrupt(marker, "deadline"), runtime.turnTimeoutMs);
  let failure: string | null = null;
  try {
    const { events } = await thread.runStreamed(input.prompt, { outputSchema: input.outputSchema, signal: control.signal });
    for await (const event of events) {
      const parsed = sdkEventSchema.safeParse(event);
      if (!parsed.success) continue;
      const payloads: EventPayload[] = toEventPayloads(parsed.data, state);
      let usage: TokenUsage | null = null;
      if (parsed.data.type === "turn.completed" && parsed.data.usage) {
        state.cumulative = toUsage(parsed.data.usage);
        usage = usageDifference(state.cumulative, previous);
        payloads.push({ type: "agent.turn_completed", attempt: 0, turn: 1, threadId: head(state.threadId ?? "", 200), usage, cumulative: state.cumulative });
      }
      await transactionWithRetry(db, async (tx) => {
        for (const payload of payloads) await appendEvent(tx, { runId, payload });
        if (usage) await addRunTokens(tx, runId, usage);
      });
    }
  } catch (error) {
    failure = state.failure ?? head(error instanceof Error ? error.message : String(error), 4000);
  } finally {
    clearTimeout(deadline);
    const reason = control.reason();
    control.release();
    if (reason) failure = `The manager's turn was interrupted (${reason}).`;
    await stopMarkedProcesses(`${ATTEMPT_MARKER}=${marker}`, { graceMs: 1000 });
    rmSync(pidFile, { force: true });
  }
  return { threadId: state.threadId, finalMessage: state.finalMessage, failure: failure ?? state.failure };
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
