import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterAll } from "vitest";
import { attempts, type repositories, runEvents, tasks } from "../../db/schema";
import { SAMPLE_REPO_FILES, SAMPLE_TEST_COMMAND } from "../../e2e/scripted-model/sample-repo";
import { ADVERSARY_SCENARIOS } from "../../e2e/scripted-model/scenarios/adversaries";
import { HAND_OFF_SCENARIOS } from "../../e2e/scripted-model/scenarios/hand-off";
import { MANAGER_SCENARIOS } from "../../e2e/scripted-model/scenarios/manager";
import { WORKER_SCENARIOS, marker } from "../../e2e/scripted-model/scenarios/workers";
import { startScriptedModel } from "../../e2e/scripted-model/server";
import type { EventPayload } from "../../lib/events/types";
import { defaultRunSettings, type RunSettings } from "../../lib/runs/settings";
import type { TaskKind } from "../../lib/tasks/status";
import { type AgentSettings, createAgentRuntime } from "../../worker-runner/codex/runtime";
import { type TestDatabase, useTestDatabase } from "./db";
import { makeGitRepo, seedRepository, seedRun, seedTask } from "./factories";

/** The model codex-cli 0.163's catalog knows (DESIGN.md §6): pinned, so no fallback warning. */
export const TEST_MODEL = "gpt-5.5";

/**
 * Real Codex workers for a test file: its own database, the scripted model
 * playing the worker scenarios, a data directory (worktrees, CODEX_HOME) and
 * an agent runtime pointed at the model.
 */
export async function useWorkerHarness(settings: Partial<AgentSettings> = {}) {
  const database = await useTestDatabase();
  const model = await startScriptedModel({ scenarios: [...WORKER_SCENARIOS, ...ADVERSARY_SCENARIOS, ...MANAGER_SCENARIOS, ...HAND_OFF_SCENARIOS] });
  // Under /tmp on purpose: containment must hold there too (a sandbox's /tmp is its own, and a
  // contained codex sees its CODEX_HOME at a fixed path outside any temporary directory).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-workers-"));
  const base = {
    dataDir,
    hostname: os.hostname(),
    model: TEST_MODEL,
    modelBaseUrl: model.baseUrl,
    modelRetries: 0,
    streamIdleTimeoutMs: 20_000,
    turnTimeoutMs: 60_000,
    commandTimeoutMs: 30_000,
    interruptGraceMs: 2_000,
    ...settings,
  };
  const runtime = createAgentRuntime(base);
  const runnerId = `test-runner-${process.pid}`;
  const repos: string[] = [];
  afterAll(async () => {
    runtime.turns.close("runner_stopping");
    await model.close();
    for (const dir of [dataDir, ...repos]) rmSync(dir, { recursive: true, force: true });
  });

  /** A ready task on attempt 1 in a fresh copy of the sample repository, driven by `scenario`. */
  async function seedWorkerTask(input: {
    scenario: string;
    key?: string;
    kind?: TaskKind;
    scope?: string[];
    commands?: string[];
    verifyCommand?: string | null;
    settings?: Partial<RunSettings>;
    runId?: string;
    /** 0 leaves the attempt to startTaskAttempt (the queue path); 1 is for calling the job directly. */
    currentAttempt?: number;
    /** Repository settings beside the fresh checkout (e.g. `github`, `setupScript`, `envFiles`). */
    repository?: Partial<Pick<typeof repositories.$inferInsert, "github" | "setupScript" | "setupNetwork" | "envFiles">>;
    /** The repository's files (default: the sample repository). */
    files?: Record<string, string>;
    title?: string;
    dependsOn?: string[];
  }) {
    let runId = input.runId;
    let repo: string | null = null;
    if (!runId) {
      repo = makeGitRepo(input.files ?? SAMPLE_REPO_FILES);
      repos.push(repo);
      const repository = await seedRepository(database.db, { path: repo, verifyCommand: input.verifyCommand ?? null, ...input.repository });
      const run = await seedRun(database.db, { repositoryId: repository.id, status: "running", settings: { ...defaultRunSettings(), ...input.settings } });
      runId = run.id;
    }
    const task = await seedTask(database.db, {
      runId,
      key: input.key ?? "T1",
      title: input.title ?? "Make the greeting say hello, world",
      kind: input.kind ?? "code",
      goal: `${marker(input.scenario)} Make greeting.txt say "hello, world" so that sh test.sh passes.`,
      scope: input.scope ?? ["greeting.txt"],
      verification: { commands: input.commands ?? [SAMPLE_TEST_COMMAND], manual: null },
      status: "ready",
      dependsOn: input.dependsOn ?? [],
      currentAttempt: input.currentAttempt ?? 1,
    });
    return { task, runId, repo };
  }

  return {
    database,
    db: database.db,
    model,
    runtime,
    dataDir,
    runnerId,
    ctx: { db: database.db, runtime, runnerId },
    /** The same runner with other agent settings (same data directory and CODEX_HOME). */
    ctxWith: (overrides: Partial<AgentSettings>) => ({ db: database.db, runtime: createAgentRuntime({ ...base, ...overrides }), runnerId }),
    seedWorkerTask,
    events: (taskId: string) => eventsOf(database, taskId),
    task: async (taskId: string) => (await database.db.select().from(tasks).where(eq(tasks.id, taskId)))[0]!,
    attempt: async (taskId: string) => (await database.db.select().from(attempts).where(eq(attempts.taskId, taskId)))[0],
  };
}

export type StoredEvent = EventPayload & { seq: number };

export async function eventsOf(database: TestDatabase, taskId: string): Promise<StoredEvent[]> {
  const rows = await database.db.select().from(runEvents).where(eq(runEvents.taskId, taskId)).orderBy(asc(runEvents.seq));
  return rows.map((row) => ({ ...row.payload, type: row.type, seq: row.seq }) as StoredEvent);
}

export const ofType = <T extends EventPayload["type"]>(events: StoredEvent[], type: T) =>
  events.filter((event): event is Extract<StoredEvent, { type: T }> => event.type === type);

export function gitOut(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
}

export async function until<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
