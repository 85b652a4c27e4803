import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { attempts, questions, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { sharedSnapshot } from "../../lib/runs/shared-snapshot";
import type { Db } from "../../db/client";
import { useTestDatabase } from "../support/db";
import { seedAttempt, seedRun, seedTask } from "../support/factories";

const database = await useTestDatabase();
type Read = {
  seq: number;
  tasks: { holdReason: string | null; attempts: { tokensOutput: number }[] }[];
  questions: { text: string; answer: string | null }[];
};
const read = async (runId: string) => JSON.parse((await sharedSnapshot(database.db, runId)).json) as Read;

describe("the shared snapshot read (GET /api/runs/:id)", () => {
  it("serves viewers reading at once from one read", async () => {
    const run = await seedRun(database.db);
    await seedTask(database.db, { runId: run.id });
    const bodies = await Promise.all(Array.from({ length: 5 }, () => sharedSnapshot(database.db, run.id).then((body) => body.json)));
    expect(new Set(bodies).size).toBe(1);
  });

  it("never serves a read older than a write that appended no event", async () => {
    const run = await seedRun(database.db);
    const task = await seedTask(database.db, { runId: run.id, status: "needs_review" });
    expect((await read(run.id)).tasks[0]!.holdReason).toBeNull();
    await database.db.update(tasks).set({ holdReason: "Accepted by Ada." }).where(eq(tasks.id, task.id));
    expect((await read(run.id)).tasks[0]!.holdReason).toBe("Accepted by Ada.");
  });

  it("never serves a read older than a write to a row with no updated_at, or a new row, or a deleted one", async () => {
    const run = await seedRun(database.db);
    const task = await seedTask(database.db, { runId: run.id, status: "running" });
    const attempt = await seedAttempt(database.db, { runId: run.id, taskId: task.id });
    const first = await read(run.id);
    expect(first.tasks[0]!.attempts[0]!.tokensOutput).toBe(0);
    expect(first.questions).toEqual([]);
    // Attempts and questions have no updated_at, and these writes append no event.
    await database.db.update(attempts).set({ tokensOutput: 42 }).where(eq(attempts.id, attempt.id));
    expect((await read(run.id)).tasks[0]!.attempts[0]!.tokensOutput).toBe(42);
    const [question] = await database.db.insert(questions).values({ runId: run.id, source: "manager", text: "Which database?" }).returning();
    expect((await read(run.id)).questions.map((q) => q.text)).toEqual(["Which database?"]);
    await database.db.update(questions).set({ answer: "PostgreSQL" }).where(eq(questions.id, question!.id));
    expect((await read(run.id)).questions[0]!.answer).toBe("PostgreSQL");
    await database.db.delete(questions).where(eq(questions.id, question!.id));
    expect((await read(run.id)).questions).toEqual([]);
  });

  it("never serves a viewer who asks while another's version query is in flight a version from before its write", async () => {
    const run = await seedRun(database.db);
    const task = await seedTask(database.db, { runId: run.id, status: "needs_review" });
    for (let round = 1; round <= 20; round++) {
      // Another viewer's read is in flight (its version query started before this write)...
      const earlier = read(run.id);
      const reason = `Held ${round}`;
      await database.db.update(tasks).set({ holdReason: reason }).where(eq(tasks.id, task.id));
      // ...and a viewer who asks after the write commits, while that query may still run, sees the write.
      const later = read(run.id);
      expect((await later).tasks[0]!.holdReason).toBe(reason);
      await earlier;
    }
  });

  it("asks for the version of a run read by ten viewers at once at most twice", async () => {
    const run = await seedRun(database.db);
    await seedTask(database.db, { runId: run.id });
    await sharedSnapshot(database.db, run.id);
    const counting = countingQueries(database.db);
    await Promise.all(Array.from({ length: 10 }, () => sharedSnapshot(counting.db, run.id)));
    expect(counting.count()).toBeLessThanOrEqual(2);
  });

  it("serves the same read again while nothing was written", async () => {
    const run = await seedRun(database.db);
    await seedTask(database.db, { runId: run.id });
    const first = await sharedSnapshot(database.db, run.id);
    expect(await sharedSnapshot(database.db, run.id)).toBe(first);
    await database.db.update(tasks).set({ holdReason: "Held by Ada." }).where(eq(tasks.runId, run.id));
    expect(await sharedSnapshot(database.db, run.id)).not.toBe(first);
  });

  it("never serves a read older than the run's last event", async () => {
    const run = await seedRun(database.db);
    const before = await read(run.id);
    const appended = await database.db.transaction((tx) => appendEvent(tx, { runId: run.id, payload: { type: "run.note", level: "info", message: "hello" } }));
    const after = await read(run.id);
    expect(after.seq).toBe(appended.seq);
    expect(after.seq).toBeGreaterThan(before.seq);
  });

  it("says a run that does not exist is not found", async () => {
    await expect(sharedSnapshot(database.db, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({ code: "not_found" });
  });
});

/** The database handle, counting the raw queries made through it (the version query is one). */
function countingQueries(db: Db) {
  let count = 0;
  const counted = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key === "execute") {
        return (...args: Parameters<Db["execute"]>) => {
          count++;
          return target.execute(...args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: counted, count: () => count };
}
