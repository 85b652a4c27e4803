import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pullRequests, runEvents } from "../../db/schema";
import { recordMerge } from "../../lib/github/record-merge";
import { transitionCi } from "../../lib/github/transition-ci";
import { transitionPullRequest } from "../../lib/github/transition-pull-request";
import type { Loaded } from "../../worker-runner/follow-ups/load-pull-request";
import { storeRemoteState } from "../../worker-runner/follow-ups/sync-pull-request";
import type { RemoteState } from "../../worker-runner/github/fetch-state";
import { useTestDatabase } from "../support/db";
import { seedRepository, seedRun, seedTask } from "../support/factories";

const { db } = await useTestDatabase();

async function openPullRequest() {
  const repository = await seedRepository(db, { github: "acme/greeter" });
  const run = await seedRun(db, { status: "running", repositoryId: repository.id });
  const task = await seedTask(db, { runId: run.id, status: "needs_review", currentAttempt: 1 });
  const [pr] = await db
    .insert(pullRequests)
    .values({ runId: run.id, taskId: task.id, repositoryId: repository.id, number: 7, url: "https://github.test/acme/greeter/pull/7", headBranch: "foreman/t1", headSha: "a".repeat(40), baseBranch: "main", ciState: "success" })
    .returning();
  return { pr: pr!, task, run, repository };
}

/** What a sync read from GitHub before the merge: still open, CI failing. */
const staleRead = (loaded: Loaded): RemoteState => ({
  state: "open",
  draft: false,
  mergeable: true,
  headSha: loaded.pr.headSha,
  ciState: "failure",
  checks: [{ name: "ci", source: "check_run", status: "completed", conclusion: "failure", output: "flaky", url: null }],
  reviewState: "APPROVED",
  comments: [],
  etags: {},
});

const stored = async (id: string) => (await db.select().from(pullRequests).where(eq(pullRequests.id, id)))[0]!;
const typesOf = async (taskId: string) => (await db.select({ type: runEvents.type }).from(runEvents).where(eq(runEvents.taskId, taskId)).orderBy(runEvents.seq)).map((row) => row.type);

describe("a pull request's state", () => {
  it("cannot be reopened by a stale sync: a read from before the merge is dropped, and the merge stays", async () => {
    const loaded = await openPullRequest();
    // The sync loaded the PR while it was open; Foreman merged it before the sync stored its read.
    await db.transaction((tx) => recordMerge(tx, loaded.pr, { sha: "b".repeat(40), by: null, byName: null, reason: "merged by Foreman" }));
    expect(await storeRemoteState(db, loaded, staleRead(loaded))).toBe(false);
    const after = await stored(loaded.pr.id);
    expect(after).toMatchObject({ state: "merged", ciState: "success", reviewState: null });
    expect(after.mergedAt).not.toBeNull();
    expect(await typesOf(loaded.task.id)).toEqual(["task.merged"]);
  });

  it("refuses merged → open and merged → closed at the transition itself", async () => {
    const { pr } = await openPullRequest();
    await db.transaction((tx) => transitionPullRequest(tx, pr.id, "merged"));
    await expect(db.transaction((tx) => transitionPullRequest(tx, pr.id, "open"))).rejects.toMatchObject({ code: "state_conflict" });
    await expect(db.transaction((tx) => transitionPullRequest(tx, pr.id, "closed"))).rejects.toMatchObject({ code: "state_conflict" });
    expect((await stored(pr.id)).state).toBe("merged");
  });

  it("is told merged once when land and sync both record it", async () => {
    const { pr, task } = await openPullRequest();
    await db.transaction((tx) => recordMerge(tx, pr, { sha: "c".repeat(40), by: null, byName: null, reason: "merged on GitHub" }));
    await expect(db.transaction((tx) => recordMerge(tx, pr, { sha: "c".repeat(40), by: null, byName: "Someone", reason: "merged by Foreman" }))).rejects.toMatchObject({ code: "state_conflict" });
    expect(await typesOf(task.id)).toEqual(["task.merged"]);
  });

  it("stores a fresh sync's read: open → closed, with CI and review", async () => {
    const loaded = await openPullRequest();
    expect(await storeRemoteState(db, loaded, { ...staleRead(loaded), state: "closed" })).toBe(true);
    expect(await stored(loaded.pr.id)).toMatchObject({ state: "closed", ciState: "failure", reviewState: "APPROVED" });
    expect(await typesOf(loaded.task.id)).toEqual(["task.ci_changed", "task.pull_request"]);
  });
});

describe("a pull request's CI state", () => {
  it("read for an old head cannot overwrite the pending CI of a head Foreman pushed since", async () => {
    const loaded = await openPullRequest();
    const pushed = "d".repeat(40);
    await db.transaction((tx) => transitionCi(tx, loaded.pr.id, "pending", { headSha: pushed }));
    expect(await storeRemoteState(db, loaded, staleRead(loaded))).toBe(false);
    await expect(db.transaction((tx) => transitionCi(tx, loaded.pr.id, "failure", { headSha: loaded.pr.headSha, seenHeadSha: loaded.pr.headSha }))).rejects.toMatchObject({
      code: "state_conflict",
    });
    expect(await stored(loaded.pr.id)).toMatchObject({ headSha: pushed, ciState: "pending" });
  });
});
