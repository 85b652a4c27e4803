import type { SandboxMode } from "@openai/codex-sdk";
import { eq } from "drizzle-orm";
import { type Db, transactionWithRetry } from "../../db/client";
import { attempts, runEvents } from "../../db/schema";
import { fenceAttempt } from "../../lib/attempts/fence-attempt";
import type { TurnPurpose } from "../../lib/events/types";
import { driveTurn, type TurnResult } from "./drive-turn";
import { type AttemptTarget, recordAgentEvents } from "./record-agent-events";
import type { AgentRuntime } from "./runtime";
import { threadUsage } from "./thread-usage";

export type { TurnResult } from "./drive-turn";

export type TurnInput = {
  db: Db;
  runtime: AgentRuntime;
  target: AttemptTarget;
  /** Resume this thread; null starts a new one. */
  threadId: string | null;
  worktree: string;
  /** The repository checkout the worktree belongs to (its git metadata is shown to the sandbox read-only). */
  repoPath: string;
  model: string | null;
  sandboxMode: SandboxMode;
  prompt: string;
  outputSchema?: Record<string, unknown>;
  purpose: TurnPurpose;
  /** 1-based turn number within the attempt. */
  turn: number;
};

/**
 * One turn of a worker's thread: the turn driver with the attempt as its sink
 * (events on the task, fenced by the attempt's holder; codex's pid on the
 * attempt; the thread in the task's own CODEX_HOME).
 */
export async function runTurn(input: TurnInput): Promise<TurnResult> {
  const { db, target } = input;
  return driveTurn({
    db,
    runtime: input.runtime,
    runnerId: target.runnerId,
    key: target.attemptId,
    owner: { kind: "task", id: target.taskId },
    place: { cwd: input.worktree, worktree: input.worktree, repoPath: input.repoPath },
    threadId: input.threadId,
    model: input.model,
    sandboxMode: input.sandboxMode,
    prompt: input.prompt,
    ...(input.outputSchema ? { outputSchema: input.outputSchema } : {}),
    position: { attempt: target.attemptNumber, turn: input.turn, purpose: input.purpose },
    sink: {
      record: (payloads, extra) => recordAgentEvents(db, target, payloads, extra),
      previousUsage: (threadId) => threadUsage(db, eq(runEvents.taskId, target.taskId), threadId),
      processChanged: (child) =>
        transactionWithRetry(db, async (tx) => {
          await fenceAttempt(tx, target);
          await tx.update(attempts).set({ pid: child?.pid ?? null, pgid: child?.pgid ?? null }).where(eq(attempts.id, target.attemptId));
        }),
    },
  });
}
