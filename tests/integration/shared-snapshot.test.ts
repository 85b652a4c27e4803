import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { sharedSnapshot } from "../../lib/runs/shared-snapshot";
import { useTestDatabase } from "../support/db";
import { seedRun, seedTask } from "../support/factories";

const database = await useTestDatabase();
const read = async (runId: string) => JSON.parse((await sharedSnapshot(database.db, runId)).json) as { seq: number; tasks: { holdReason: string | null }[] };

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
