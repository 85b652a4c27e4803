import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Codex, type SandboxMode } from "@openai/codex-sdk";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { attempts, runEvents } from "../../db/schema";
import type { InterruptReason, TokenUsage, TurnPurpose } from "../../lib/events/types";
import { head } from "../../lib/shared/cap";
import { sdkEventSchema, toEventPayloads, toUsage, type TurnState, usageDifference } from "./agent-events";
import { ATTEMPT_MARKER } from "./child-env";
import { codexOptions, threadOptions } from "./codex-options";
import { stopMarkedProcesses } from "./process-table";
import { type AttemptTarget, recordAgentEvents } from "./record-agent-events";
import type { AgentRuntime } from "./runtime";
import { codexConfinement } from "../contain/places";
import { escapeEvents, privatePlaces } from "../contain/detect-escape";
import { findRollout, rolloutCalls, rolloutSize } from "./rollout-calls";

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

export type TurnResult = { threadId: string | null; finalMessage: string | null } & (
  | { outcome: "completed"; usage: TokenUsage }
  | { outcome: "failed"; message: string }
  | { outcome: "interrupted"; reason: InterruptReason; message: string }
);

const pidFileSchema = z.object({ pid: z.number().int().positive(), pgid: z.number().int().positive() });

/**
 * One turn of a worker thread through the SDK: every SDK event becomes run
 * events at once, the codex pid is recorded on the attempt, the runner's own
 * deadline applies, and an interrupt reaches codex as SIGINT (then SIGKILL to
 * its process group after a grace period). Whatever happens, no process of the
 * attempt outlives the turn.
 */
export async function runTurn(input: TurnInput): Promise<TurnResult> {
  const { db, runtime, target } = input;
  const pidFile = path.join(runtime.stateDir, "pids", `${target.attemptId}.json`);
  rmSync(pidFile, { force: true });
  const confinement = codexConfinement(runtime, { cwd: input.worktree, worktree: input.worktree, repoPath: input.repoPath }, { kind: "task", id: target.taskId });
  const codex = new Codex(codexOptions(runtime, target.attemptId, pidFile, confinement));
  const options = threadOptions({ model: input.model, sandboxMode: input.sandboxMode, worktree: input.worktree });
  const thread = input.threadId ? codex.resumeThread(input.threadId, options) : codex.startThread(options);
  const state: TurnState = {
    attempt: target.attemptNumber,
    turn: input.turn,
    purpose: input.purpose,
    worktree: input.worktree,
    resumed: input.threadId !== null,
    threadId: input.threadId,
    finalMessage: null,
    failure: null,
    cumulative: null,
    lastTodo: null,
  };
  const previous = input.threadId ? await previousCumulativeUsage(db, target.taskId, input.threadId) : null;

  // Where this thread's rollout stands: what the turn adds to it is read for refused escapes afterwards.
  const rolloutAtStart = input.threadId ? rolloutSize(findRollout(confinement.hostCodexHome, input.threadId)) : 0;
  const control = runtime.turns.register(target.attemptId);
  const deadline = setTimeout(() => runtime.turns.interrupt(target.attemptId, "deadline"), runtime.turnTimeoutMs);
  let child: { pid: number; pgid: number } | null = null;
  let escalation: NodeJS.Timeout | undefined;
  const onAbort = () => {
    // codex got SIGINT through the wrapper; if it has not exited by now, its group is killed.
    escalation = setTimeout(() => {
      void stopMarkedProcesses(`${ATTEMPT_MARKER}=${target.attemptId}`, { pgid: child?.pgid ?? readPidFile(pidFile)?.pgid, graceMs: 0 });
    }, runtime.interruptGraceMs);
  };
  control.signal.addEventListener("abort", onAbort, { once: true });

  let usage: TokenUsage | null = null;
  let failure: string | null = null;
  try {
    const { events } = await thread.runStreamed(input.prompt, {
      ...(input.outputSchema ? { outputSchema: input.outputSchema } : {}),
      signal: control.signal,
    });
    for await (const event of events) {
      const parsed = sdkEventSchema.safeParse(event);
      if (!parsed.success) continue;
      if (!child) {
        child = readPidFile(pidFile);
        if (child) await db.update(attempts).set({ pid: child.pid, pgid: child.pgid }).where(eq(attempts.id, target.attemptId));
      }
      const knownThread = state.threadId;
      const payloads = toEventPayloads(parsed.data, state);
      let turnUsage: TokenUsage | null = null;
      if (parsed.data.type === "turn.completed" && parsed.data.usage) {
        state.cumulative = toUsage(parsed.data.usage);
        turnUsage = usageDifference(state.cumulative, previous);
        usage = turnUsage;
        payloads.push({
          type: "agent.turn_completed",
          attempt: state.attempt,
          turn: state.turn,
          threadId: head(state.threadId ?? "", 200),
          usage: turnUsage,
          cumulative: state.cumulative,
        });
      }
      await recordAgentEvents(db, target, payloads, {
        threadId: state.threadId !== knownThread ? state.threadId : null,
        usage: turnUsage,
      });
    }
  } catch (error) {
    if (!control.signal.aborted) failure = state.failure ?? head(describeError(error), 4000);
  } finally {
    clearTimeout(deadline);
    clearTimeout(escalation);
    control.signal.removeEventListener("abort", onAbort);
    control.release();
    // Anything of this attempt still alive now is an orphan of this turn (codex exits with its turn).
    await stopMarkedProcesses(`${ATTEMPT_MARKER}=${target.attemptId}`, { pgid: child?.pgid ?? readPidFile(pidFile)?.pgid, graceMs: 1000 });
    rmSync(pidFile, { force: true });
    await db.update(attempts).set({ pid: null, pgid: null }).where(eq(attempts.id, target.attemptId));
  }

  await recordRefusedEscapes(db, target, { codexHome: confinement.hostCodexHome, threadId: state.threadId, from: rolloutAtStart, worktree: input.worktree, dataDir: runtime.dataDir });

  const base = { threadId: state.threadId, finalMessage: state.finalMessage };
  const reason = control.reason();
  if (control.signal.aborted && reason) {
    const message = interruptMessage(reason, runtime);
    await recordAgentEvents(db, target, [{ type: "agent.turn_interrupted", attempt: state.attempt, turn: state.turn, reason, message }]);
    return { ...base, outcome: "interrupted", reason, message };
  }
  if (failure !== null || state.failure !== null) {
    const message = failure ?? state.failure ?? "The turn failed.";
    if (state.failure === null) {
      await recordAgentEvents(db, target, [{ type: "agent.turn_failed", attempt: state.attempt, turn: state.turn, message }]);
    }
    return { ...base, outcome: "failed", message };
  }
  if (!usage) {
    const message = "Codex ended without completing the turn.";
    await recordAgentEvents(db, target, [{ type: "agent.turn_failed", attempt: state.attempt, turn: state.turn, message }]);
    return { ...base, outcome: "failed", message };
  }
  return { ...base, outcome: "completed", usage };
}

/**
 * What the worker tried beyond its sandbox in this turn, read from every tool
 * call and output of the thread's rollout (codex emits no event for a command
 * its sandbox refused), recorded on the task as `task.escape_refused`.
 */
async function recordRefusedEscapes(
  db: Db,
  target: AttemptTarget,
  input: { codexHome: string; threadId: string | null; from: number; worktree: string; dataDir: string },
): Promise<void> {
  if (!input.threadId) return;
  const file = findRollout(input.codexHome, input.threadId);
  if (!file) return;
  const context = { worktree: input.worktree, private: privatePlaces(input.dataDir) };
  const payloads = rolloutCalls(file, input.from).flatMap((call) => escapeEvents(target.attemptNumber, call.command, call.output, context));
  if (payloads.length > 0) await recordAgentEvents(db, target, payloads.slice(0, 50));
}

function readPidFile(file: string): { pid: number; pgid: number } | null {
  try {
    const parsed = pidFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The SDK's exit error carries codex's stderr; its first useful lines say what went wrong. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("WARNING: proceeding") && !line.startsWith("Reading prompt from stdin") && !line.startsWith("Reading additional input"));
  return lines.join("\n") || "Codex exited unexpectedly.";
}

function interruptMessage(reason: InterruptReason, runtime: AgentRuntime): string {
  switch (reason) {
    case "deadline":
      return `The turn ran past the runner's ${formatDuration(runtime.turnTimeoutMs)} turn deadline (a model that never answers is not timed out by Codex); Foreman interrupted it and stopped its processes.`;
    case "paused":
      return "Paused: Foreman interrupted the turn; resuming continues the same thread.";
    case "runner_stopping":
      return "The runner was stopping, so it interrupted the turn and stopped its processes.";
    case "stalled":
      return "The worker went silent past the run's stall timeout; the heartbeat interrupted it and a new attempt continues the same thread.";
    case "cancelled":
      return "Cancelled: Foreman interrupted the turn and stopped its processes.";
  }
}

function formatDuration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}

/** The thread's running token total after its last completed turn (any attempt), to diff against. */
async function previousCumulativeUsage(db: Db, taskId: string, threadId: string): Promise<TokenUsage | null> {
  const [row] = await db
    .select({ payload: runEvents.payload })
    .from(runEvents)
    .where(and(eq(runEvents.taskId, taskId), eq(runEvents.type, "agent.turn_completed"), sql`${runEvents.payload}->>'threadId' = ${threadId}`))
    .orderBy(desc(runEvents.seq))
    .limit(1);
  const cumulative = (row?.payload as { cumulative?: TokenUsage } | undefined)?.cumulative;
  return cumulative ?? null;
}
