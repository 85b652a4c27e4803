import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runEvents, runs, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { addRunTokens } from "../../lib/runs/add-run-tokens";
import { pauseAtTokenBudget } from "../../lib/runs/token-budget";
import { recordAgentEvents } from "../../worker-runner/codex/record-agent-events";
import { useTestDatabase } from "../support/db";
import { seedAttempt, seedRun, seedTask } from "../support/factories";

const database = await useTestDatabase();
const { db } = database;

const addTokensAlone = (runId: string, usage: { input: number; cachedInput: number; output: number; reasoningOutput: number }) =>
  db.transaction((tx) => addRunTokens(tx, runId, usage));

describe("event appends and run updates", () => {
  it("200 appends with token updates from 8 tasks, in every lock order the runner and web use, all commit: no deadlock", async () => {
    const run = await seedRun(db, { status: "running" });
    const usage = { input: 10, cachedInput: 2, output: 3, reasoningOutput: 1 };
    const rounds = 25;
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const task = await seedTask(db, { runId: run.id, key: `T${i + 1}`, status: "running", currentAttempt: 1 });
        const attempt = await seedAttempt(db, { taskId: task.id, runId: run.id, runnerId: "runner-a" });
        const target = { runId: run.id, taskId: task.id, attemptId: attempt.id, attemptNumber: 1, runnerId: "runner-a" };
        for (let n = 0; n < rounds; n++) {
          const payload = { type: "agent.reasoning" as const, attempt: 1, text: `T${i + 1} step ${n}` };
          if (n % 3 === 0) {
            // A worker's check-in: the event first, then the run's token totals.
            await recordAgentEvents(db, target, [payload], { usage });
          } else if (n % 3 === 1) {
            // A row that references the run (a key-share lock on it), then the budget check's lock on the run, then its event.
            await db.transaction(async (tx) => {
              await tx.insert(tasks).values({ runId: run.id, key: `T${i + 1}-${n}`, title: "added", goal: "added" });
              await pauseAtTokenBudget(tx, run.id);
              await appendEvent(tx, { runId: run.id, taskId: task.id, payload });
            });
            await addTokensAlone(run.id, usage);
          } else {
            // The other order (a run update, then its event), in a plain transaction without retry.
            await db.transaction(async (tx) => {
              await addRunTokens(tx, run.id, usage);
              await appendEvent(tx, { runId: run.id, taskId: task.id, payload });
            });
          }
        }
      }),
    );
    const [totals] = await db.select({ input: runs.tokensInput, output: runs.tokensOutput }).from(runs).where(eq(runs.id, run.id));
    expect(totals).toEqual({ input: 8 * rounds * usage.input, output: 8 * rounds * usage.output });
    const [events] = await db.select({ n: count() }).from(runEvents).where(eq(runEvents.runId, run.id));
    expect(events!.n).toBe(8 * rounds);
  });
});
