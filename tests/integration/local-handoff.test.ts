import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tasks } from "../../db/schema";
import type { QueuePayload } from "../../lib/jobs/queues";
import { acceptTask, mergeTask, rejectTask } from "../../lib/tasks/hand-off-actions";
import { landTask } from "../../worker-runner/follow-ups/land-task";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { useBoss } from "../support/boss";
import { seedUser } from "../support/factories";
import { gitOut, ofType, useWorkerHarness } from "../support/workers";

const harness = await useWorkerHarness();
const { db } = harness;
const boss = await useBoss(harness.database.url);

const alice = await seedUser(db, { name: "Alice" });
const bob = await seedUser(db, { name: "Bob" });

const runner = () => ({ db, boss, runnerId: harness.runnerId, signal: new AbortController().signal, agents: harness.runtime });
const work = { ...harness.ctx, boss: undefined };

/** The queued job of `queue` for this task (the web only enqueues; the test plays the runner). */
async function takeJob<Q extends "task.run" | "task.land">(queue: Q, taskId: string): Promise<QueuePayload<Q>> {
  for (let tries = 0; tries < 50; tries++) {
    const jobs = await boss.fetch<QueuePayload<Q>>(queue, { batchSize: 20 });
    const mine = jobs.find((job) => job.data.taskId === taskId);
    for (const job of jobs) if (job !== mine) await boss.fail(queue, job.id, { reason: "not this test's" }).catch(() => undefined);
    if (mine) {
      await boss.complete(queue, mine.id);
      return mine.data;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${queue} job for ${taskId}`);
}

async function toReview(scenario: string, runId?: string, key = "T1") {
  const seeded = await harness.seedWorkerTask({ scenario, runId, key, settings: { requireHumanAccept: true } });
  const outcome = await runTaskAttempt(work, { taskId: seeded.task.id, attempt: 1 });
  expect(outcome.status).toBe("needs_review");
  return seeded;
}

describe("local hand-off (no GitHub)", () => {
  it("accepting merges the branch into the checked-out base; a conflict is reported with its files and changes nothing", async () => {
    const first = await toReview("honest-worker");
    const repo = first.repo!;
    const second = await toReview("conflicting-worker", first.runId, "T2");
    const before = gitOut(repo, "rev-parse", "main");

    // T1: the base has not moved, so a fast-forward; the user's checkout follows.
    await acceptTask(db, boss, first.task.id, alice.id);
    await landTask(runner(), await takeJob("task.land", first.task.id));
    expect((await harness.task(first.task.id)).status).toBe("done");
    const afterFirst = gitOut(repo, "rev-parse", "main");
    expect(afterFirst).not.toBe(before);
    expect(gitOut(repo, "rev-parse", (await harness.task(first.task.id)).branch!)).toBe(afterFirst);
    expect(readFileSync(path.join(repo, "greeting.txt"), "utf8")).toBe("hello, world\n");
    expect(gitOut(repo, "status", "--porcelain")).toBe("");
    const merged = ofType(await harness.events(first.task.id), "task.merged");
    expect(merged).toMatchObject([{ via: "local", into: "main", sha: afterFirst, fastForward: true, by: alice.id, byName: "Alice" }]);
    expect(ofType(await harness.events(first.task.id), "task.accepted")).toMatchObject([{ by: alice.id, byName: "Alice" }]);
    // People read names: the id is stored, never shown.
    const done = ofType(await harness.events(first.task.id), "task.status_changed").at(-1)!;
    expect(done.reason).toContain("Accepted by Alice");
    expect(done.reason).not.toContain(alice.id);

    // T2 changed the same line from the old base: reported, base untouched, task still in review.
    await acceptTask(db, boss, second.task.id, alice.id);
    await landTask(runner(), await takeJob("task.land", second.task.id));
    const held = await harness.task(second.task.id);
    expect(held.status).toBe("needs_review");
    expect(held.holdReason).toContain("conflicts in greeting.txt");
    expect(ofType(await harness.events(second.task.id), "task.merge_conflict")).toMatchObject([{ via: "local", into: "main", files: ["greeting.txt"] }]);
    expect(gitOut(repo, "rev-parse", "main")).toBe(afterFirst);
    expect(readFileSync(path.join(repo, "greeting.txt"), "utf8")).toBe("hello, world\n");

    // Rejected with a reason: the worker merges main in on its own thread, resolves, and is reviewed again.
    await rejectTask(db, boss, second.task.id, "Merge main in and keep its greeting.", alice.id);
    expect(ofType(await harness.events(second.task.id), "task.rejected")).toMatchObject([{ by: alice.id, byName: "Alice" }]);
    const followUp = await takeJob("task.run", second.task.id);
    expect(followUp).toMatchObject({ attempt: 2, replaces: 1, followUp: { purpose: "rejected", mergeBase: "local" } });
    expect((await runTaskAttempt(work, followUp)).status).toBe("needs_review");
    const threads = (await db.select().from(tasks).where(eq(tasks.id, second.task.id)))[0]!;
    expect(threads.currentAttempt).toBe(2);
    const requests = harness.model.requestsFor("conflicting-worker").filter((r) => r.outcome === "answered");
    expect(new Set(requests.map((r) => r.threadId)).size).toBe(1);

    await acceptTask(db, boss, second.task.id, bob.id);
    await landTask(runner(), await takeJob("task.land", second.task.id));
    expect((await harness.task(second.task.id)).status).toBe("done");
    const mergeCommit = gitOut(repo, "rev-parse", "main");
    // The worker's resolution is a merge of main into its branch; main then fast-forwards to it.
    expect(gitOut(repo, "rev-list", "--parents", "-n", "1", mergeCommit).split(" ")).toHaveLength(3);
    expect(ofType(await harness.events(second.task.id), "task.merged").at(-1)).toMatchObject({ fastForward: true, sha: mergeCommit });
    expect(readFileSync(path.join(repo, "greeting.txt"), "utf8")).toBe("hello, world (merged)\n");
    expect(gitOut(repo, "merge-base", "--is-ancestor", afterFirst, mergeCommit)).toBe("");
  });

  it("refuses to touch a base checkout with uncommitted changes, and says what to do", async () => {
    const seeded = await toReview("honest-worker");
    const repo = seeded.repo!;
    writeFileSync(path.join(repo, "README.md"), "local edits the user has not committed\n");
    const before = gitOut(repo, "rev-parse", "main");
    await acceptTask(db, boss, seeded.task.id, alice.id);
    await landTask(runner(), await takeJob("task.land", seeded.task.id));
    const task = await harness.task(seeded.task.id);
    expect(task.status).toBe("needs_review");
    expect(task.holdReason).toMatch(/uncommitted changes .* commit or stash them, then accept again/);
    expect(gitOut(repo, "rev-parse", "main")).toBe(before);
    expect(readFileSync(path.join(repo, "README.md"), "utf8")).toBe("local edits the user has not committed\n");
  });

  it("refuses accept and merge in the wrong state with a reason", async () => {
    const seeded = await harness.seedWorkerTask({ scenario: "honest-worker" });
    await expect(acceptTask(db, boss, seeded.task.id, "a@example.com")).rejects.toThrow(/only a task in review is accepted/);
    await expect(mergeTask(db, boss, seeded.task.id, "a@example.com")).rejects.toThrow(/only a task in review or done is merged/);
    await expect(rejectTask(db, boss, seeded.task.id, "no", "a@example.com")).rejects.toThrow(/only a task in review is rejected/);
  });
});
