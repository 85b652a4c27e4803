import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { repositories, runEvents, runs } from "../../db/schema";
import { runPlan } from "../../worker-runner/jobs/run-plan";
import { runReview } from "../../worker-runner/jobs/run-review";
import { useBoss } from "../support/boss";
import { seedRun } from "../support/factories";
import { useWorkerHarness } from "../support/workers";

/**
 * Issue #13: a review or plan job that cannot start fails its run at once,
 * with an error note saying what to fix, instead of throwing into pg-boss's
 * silent retries while the run sits in `reviewing` for ever.
 */
const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);
const job = { id: "job", retryCount: 0 };
const withAgents = () => ({ db, boss, runnerId: harness.runnerId, signal: new AbortController().signal, agents: harness.runtime });

async function runOn(repository: Partial<typeof repositories.$inferInsert>, status: "reviewing" | "planning" = "reviewing") {
  const [row] = await db.insert(repositories).values({ name: `repo-${Date.now()}-${Math.random()}`, baseBranch: "main", ...repository }).returning();
  return seedRun(db, { repositoryId: row!.id, status });
}

async function outcome(runId: string) {
  const [run] = await db.select({ status: runs.status, reason: runs.statusReason }).from(runs).where(eq(runs.id, runId));
  const notes = await db.select({ type: runEvents.type, payload: runEvents.payload }).from(runEvents).where(eq(runEvents.runId, runId)).orderBy(asc(runEvents.seq));
  const errors = notes.filter((e) => e.type === "run.note" && (e.payload as { level?: string }).level === "error").map((e) => (e.payload as { message: string }).message);
  return { status: run!.status, reason: run!.reason, errors };
}

describe("a manager job that cannot start", () => {
  it("fails the run when the repository URL cannot be cloned, naming the URL and what to check", async () => {
    const url = "file:///nonexistent/foreman-unclonable.git";
    const run = await runOn({ url, path: null });
    // Resolves (no throw), so pg-boss has nothing to retry.
    await expect(runReview.handle(withAgents(), { runId: run.id }, job)).resolves.toBeUndefined();
    const result = await outcome(run.id);
    expect(result.status).toBe("failed");
    expect(result.reason).toContain(`could not clone ${url}`);
    expect(result.errors).toEqual([result.reason]);
    expect(result.reason).toMatch(/Check the URL/);
  });

  it("fails the run when the repository path is missing", async () => {
    const run = await runOn({ path: "/nonexistent/foreman-missing-repo" }, "planning");
    await expect(runPlan.handle(withAgents(), { runId: run.id, comment: null }, job)).resolves.toBeUndefined();
    const result = await outcome(run.id);
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/\/nonexistent\/foreman-missing-repo does not exist on the runner's machine/);
    expect(result.errors).toHaveLength(1);
  });

  it("fails the run when the runner has no agent runtime (codex missing)", async () => {
    const run = await runOn({ path: "/tmp" });
    await runReview.handle({ ...withAgents(), agents: undefined }, { runId: run.id }, job);
    const result = await outcome(run.id);
    expect(result.status).toBe("failed");
    expect(result.reason).toMatch(/no agent runtime \(codex was not found\)/);
  });

  it("leaves a run alone that was cancelled meanwhile", async () => {
    const run = await runOn({ url: "file:///nonexistent/other.git", path: null });
    await db.update(runs).set({ status: "cancelled" }).where(eq(runs.id, run.id));
    await runReview.handle(withAgents(), { runId: run.id }, job);
    expect((await outcome(run.id)).status).toBe("cancelled");
  });
});
