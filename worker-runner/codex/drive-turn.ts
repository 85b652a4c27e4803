import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Codex, type SandboxMode } from "@openai/codex-sdk";
import { z } from "zod";
import type { Db } from "../../db/client";
import { AttemptLost } from "../../lib/attempts/fence-attempt";
import type { EventPayload, InterruptReason, TokenUsage, TurnPurpose } from "../../lib/events/types";
import { head } from "../../lib/shared/cap";
import { escapeEvents, privatePlaces } from "../contain/detect-escape";
import { codexConfinement, type Place } from "./places";
import { sdkEventSchema, toEventPayloads, toUsage, type TurnState, usageDifference } from "./agent-events";
import { ATTEMPT_MARKER } from "./child-env";
import type { CodexHomeOwner } from "./codex-home";
import { codexOptions, threadOptions } from "./codex-options";
import { outOfMemoryMessage } from "./memory-limit";
import { stopMarkedProcesses } from "./process-table";
import { findRollout, rolloutCalls, rolloutSize } from "./rollout-calls";
import type { AgentRuntime } from "./runtime";
import { restoreThread, saveThread, throttledSave } from "./thread-store";

/** Where a turn's events go: a worker's attempt (fenced, on its task) or a run's manager (on the run). */
export type TurnSink = {
  /** Writes the payloads of one SDK event, with the thread id once known and the turn's usage once complete. */
  record(payloads: EventPayload[], extra: { threadId: string | null; usage: TokenUsage | null }): Promise<void>;
  /** The thread's running token total after its last completed turn, to diff this turn's against. */
  previousUsage(threadId: string): Promise<TokenUsage | null>;
  /** codex's pid and process group once known; null once the turn is over. */
  processChanged?(child: { pid: number; pgid: number } | null): Promise<void>;
};

export type TurnSpec = {
  db: Db;
  runtime: AgentRuntime;
  runnerId: string;
  /** The turn's key among the runner's active turns, and the marker on its processes. */
  key: string;
  /** Whose CODEX_HOME the thread lives in. */
  owner: CodexHomeOwner;
  place: Place;
  /** Resume this thread; null starts a new one. */
  threadId: string | null;
  model: string | null;
  sandboxMode: SandboxMode;
  prompt: string;
  outputSchema?: Record<string, unknown>;
  /** The attempt (0 for the manager), the 1-based turn within it, and what the turn is for. */
  position: { attempt: number; turn: number; purpose: TurnPurpose };
  sink: TurnSink;
};

export type TurnResult = { threadId: string | null; finalMessage: string | null } & (
  | { outcome: "completed"; usage: TokenUsage }
  | { outcome: "failed"; message: string }
  | { outcome: "interrupted"; reason: InterruptReason; message: string }
  /** Another runner holds the attempt now: nothing more may be written for it. */
  | { outcome: "lost"; message: string }
);

const pidFileSchema = z.object({ pid: z.number().int().positive(), pgid: z.number().int().positive() });

/**
 * Codex retries a model it cannot reach ("Reconnecting… n/m", and with its own
 * login, "waiting for network" for as long as it takes). A turn that has heard
 * nothing but reconnects for `runtime.modelUnreachableMs` fails with the reason instead.
 */
const RECONNECTING = /reconnecting|waiting for network|stream disconnected|error sending request|connection refused/i;

/**
 * The one Codex turn driver, for workers and the manager: the thread is
 * restored from PostgreSQL when this host lacks it (and saved back as it
 * grows), every SDK event goes to the sink at once, codex's pid is read from
 * the wrapper's pid file (a stale one removed first), the runner's deadline
 * applies, an interrupt reaches codex as SIGINT and then SIGKILL to its
 * process group after the grace period, codex's stderr is cleaned into a
 * readable failure, and whatever happens no process of the turn outlives it.
 */
export async function driveTurn(spec: TurnSpec): Promise<TurnResult> {
  const { db, runtime, sink } = spec;
  const pidFile = path.join(runtime.stateDir, "pids", `${spec.key.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
  rmSync(pidFile, { force: true });
  const confinement = codexConfinement(runtime, spec.place, spec.owner);
  const home = { codexHome: confinement.hostCodexHome, runnerId: spec.runnerId };
  if (spec.threadId) {
    await restoreThread(db, { codexHome: home.codexHome, threadId: spec.threadId }).catch((error: unknown) =>
      console.error(`[runner] could not restore thread ${spec.threadId} from the database: ${describeError(error)}`),
    );
  }
  const codex = new Codex(codexOptions(runtime, spec.key, pidFile, confinement));
  const options = threadOptions({ model: spec.model, sandboxMode: spec.sandboxMode, worktree: spec.place.cwd });
  const thread = spec.threadId ? codex.resumeThread(spec.threadId, options) : codex.startThread(options);
  const state: TurnState = {
    attempt: spec.position.attempt,
    turn: spec.position.turn,
    purpose: spec.position.purpose,
    worktree: spec.place.cwd,
    resumed: spec.threadId !== null,
    threadId: spec.threadId,
    finalMessage: null,
    failure: null,
    cumulative: null,
    lastTodo: null,
  };
  const previous = spec.threadId ? await sink.previousUsage(spec.threadId) : null;
  // Where this thread's rollout stands: what the turn adds to it is read for refused escapes afterwards.
  const rolloutAtStart = spec.threadId ? rolloutSize(findRollout(home.codexHome, spec.threadId)) : 0;
  const save = throttledSave(db, home);
  // Also while the agent is quiet in a long command: a runner killed now leaves its thread nearly whole.
  const saver = setInterval(() => save(state.threadId), 5_000);

  const control = runtime.turns.register(spec.key);
  const deadline = setTimeout(() => runtime.turns.interrupt(spec.key, "deadline"), runtime.turnTimeoutMs);
  let child: { pid: number; pgid: number } | null = null;
  let escalation: NodeJS.Timeout | undefined;
  const onAbort = () => {
    // codex got SIGINT through the wrapper; if it has not exited by now, its group is killed.
    escalation = setTimeout(() => {
      void stopMarkedProcesses(`${ATTEMPT_MARKER}=${spec.key}`, { pgid: child?.pgid ?? readPidFile(pidFile)?.pgid, graceMs: 0 });
    }, runtime.interruptGraceMs);
  };
  control.signal.addEventListener("abort", onAbort, { once: true });

  let usage: TokenUsage | null = null;
  let failure: string | null = null;
  let lost: AttemptLost | null = null;
  let ownFailure: unknown = null;
  // When the model stopped answering (the first reconnect since it last did), and what codex said last.
  let unreachableSince: number | null = null;
  let unreachable: string | null = null;
  const watchModel = setInterval(() => {
    if (unreachableSince === null || Date.now() - unreachableSince < runtime.modelUnreachableMs || unreachable?.startsWith("The model cannot be reached")) return;
    unreachable = `The model cannot be reached: Codex kept reconnecting for ${Math.round((Date.now() - unreachableSince) / 1000)} s (last: ${unreachable ?? "no answer"}). Check the model endpoint, key or \`codex login\`, then retry.`;
    runtime.turns.interrupt(spec.key, "deadline");
  }, 1_000);
  try {
    const { events } = await thread.runStreamed(spec.prompt, {
      ...(spec.outputSchema ? { outputSchema: spec.outputSchema } : {}),
      signal: control.signal,
    });
    for await (const event of events) {
      const parsed = sdkEventSchema.safeParse(event);
      if (!parsed.success) continue;
      if (!child) {
        child = readPidFile(pidFile);
        if (child) await sink.processChanged?.(child);
      }
      if (parsed.data.type === "error" && RECONNECTING.test(parsed.data.message ?? "")) {
        unreachableSince ??= Date.now();
        if (!unreachable?.startsWith("The model cannot be reached")) unreachable = head(parsed.data.message ?? "", 300);
      } else if (parsed.data.type.startsWith("item.") || parsed.data.type === "turn.completed") {
        unreachableSince = null;
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
      try {
        await sink.record(payloads, { threadId: state.threadId !== knownThread ? state.threadId : null, usage: turnUsage });
      } catch (error) {
        // Foreman's own write failed (not the agent): it is Foreman's fault, never recorded as the worker's.
        if (!(error instanceof AttemptLost)) ownFailure = error;
        throw error;
      }
      save(state.threadId);
    }
  } catch (error) {
    if (error instanceof AttemptLost) {
      lost = error;
      // The new holder owns the thread now: this turn's codex stops at once.
      runtime.turns.interrupt(spec.key, "runner_stopping");
    } else if (ownFailure) {
      runtime.turns.interrupt(spec.key, "runner_stopping");
    } else if (!control.signal.aborted) failure = state.failure ?? explainFailure(describeError(error), runtime);
  } finally {
    clearTimeout(deadline);
    clearTimeout(escalation);
    clearInterval(saver);
    clearInterval(watchModel);
    control.signal.removeEventListener("abort", onAbort);
    control.release();
    // Anything of this turn still alive now is an orphan of it (codex exits with its turn).
    await stopMarkedProcesses(`${ATTEMPT_MARKER}=${spec.key}`, { pgid: child?.pgid ?? readPidFile(pidFile)?.pgid, graceMs: 1000 });
    rmSync(pidFile, { force: true });
  }

  const base = { threadId: state.threadId, finalMessage: state.finalMessage };
  if (lost) return { ...base, outcome: "lost", message: lost.message };
  if (ownFailure) throw ownFailure;
  try {
    await sink.processChanged?.(null);
    // Sharing the thread is best effort: a failure leaves it on this host (the next turn here still has it).
    if (state.threadId) await saveThread(db, { ...home, threadId: state.threadId }).catch((error: unknown) => console.error(`[runner] could not share thread ${state.threadId}: ${describeError(error)}`));
    await recordRefusedEscapes(spec, { codexHome: home.codexHome, threadId: state.threadId, from: rolloutAtStart });

    const reason = control.reason();
    if (unreachable?.startsWith("The model cannot be reached")) {
      await sink.record([{ type: "agent.turn_failed", attempt: state.attempt, turn: state.turn, message: unreachable }], { threadId: null, usage: null });
      return { ...base, outcome: "failed", message: unreachable };
    }
    if (control.signal.aborted && reason) {
      const message = interruptMessage(reason, runtime);
      await sink.record([{ type: "agent.turn_interrupted", attempt: state.attempt, turn: state.turn, reason, message }], { threadId: null, usage: null });
      return { ...base, outcome: "interrupted", reason, message };
    }
    if (failure !== null || state.failure !== null) {
      const message = failure ?? state.failure ?? "The turn failed.";
      if (state.failure === null) await sink.record([{ type: "agent.turn_failed", attempt: state.attempt, turn: state.turn, message }], { threadId: null, usage: null });
      return { ...base, outcome: "failed", message };
    }
    if (!usage) {
      const message = "Codex ended without completing the turn.";
      await sink.record([{ type: "agent.turn_failed", attempt: state.attempt, turn: state.turn, message }], { threadId: null, usage: null });
      return { ...base, outcome: "failed", message };
    }
    return { ...base, outcome: "completed", usage };
  } catch (error) {
    if (error instanceof AttemptLost) return { ...base, outcome: "lost", message: error.message };
    throw error;
  }
}

/**
 * What the agent tried beyond its sandbox in this turn, read from every tool
 * call and output of the thread's rollout (codex emits no event for a command
 * its sandbox refused), recorded as `task.escape_refused`.
 */
async function recordRefusedEscapes(spec: TurnSpec, input: { codexHome: string; threadId: string | null; from: number }): Promise<void> {
  if (!input.threadId) return;
  const file = findRollout(input.codexHome, input.threadId);
  if (!file) return;
  const context = { worktree: spec.place.worktree ?? spec.place.cwd, private: privatePlaces(spec.runtime.dataDir) };
  const payloads = rolloutCalls(file, input.from).flatMap((call) => escapeEvents(spec.position.attempt, call.command, call.output, context));
  if (payloads.length > 0) await spec.sink.record(payloads.slice(0, 50), { threadId: null, usage: null });
}

function readPidFile(file: string): { pid: number; pgid: number } | null {
  try {
    const parsed = pidFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Codex's failure in a sentence: running out of its memory limit says so, with what codex said. */
function explainFailure(described: string, runtime: AgentRuntime): string {
  const outOfMemory = outOfMemoryMessage(described, runtime.codexMemoryMb);
  return outOfMemory ? `${outOfMemory} Codex said: ${head(described, 500)}` : head(described, 4000);
}

/** The SDK's exit error carries codex's stderr; its first useful lines say what went wrong. */
export function describeError(error: unknown): string {
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
      return "The runner was stopping, so it interrupted the turn and handed the work back; a runner continues the same thread.";
    case "stalled":
      return "The worker went silent past the run's stall timeout; the heartbeat interrupted it and a new attempt continues the same thread.";
    case "cancelled":
      return "Cancelled: Foreman interrupted the turn and stopped its processes.";
  }
}

function formatDuration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}
