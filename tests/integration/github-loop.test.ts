import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, githubDeliveries, pullRequests, questions, reviewComments, runEvents } from "../../db/schema";
import { FakeGitHub } from "../../e2e/fake-github/fake-github";
import { signWebhook } from "../../e2e/fake-github/send-webhook";
import type { AutoChecks } from "../../e2e/fake-github/state";
import type { RunSettings } from "../../lib/runs/settings";
import { AppError } from "../../lib/errors/app-error";
import { receiveWebhook } from "../../lib/github/receive-webhook";
import { answerQuestions } from "../../lib/runs/answer-questions";
import { mergeTask } from "../../lib/tasks/hand-off-actions";
import { githubSync } from "../../worker-runner/jobs/github-sync";
import { runTask } from "../../worker-runner/jobs/run-task";
import { taskLand } from "../../worker-runner/jobs/task-land";
import { workQueues } from "../../worker-runner/work-queues";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { useBoss } from "../support/boss";
import { gitOut, ofType, until, useWorkerHarness } from "../support/workers";

const TOKEN = "ghs_fake_token_for_tests";
const SECRET = "webhook-secret-for-tests";
const fake = await FakeGitHub.start({ token: TOKEN });
const harness = await useWorkerHarness({ github: { apiUrl: fake.url, token: TOKEN, secret: "foreman-secret-for-tests-0123456789", publicUrl: "http://foreman.test" } });
const { db } = harness;

// A real runner for the hand-off queues (sync, land, follow-up attempts); the test plays the web.
const runnerBoss = await useBoss(harness.database.url, "runner");
const webBoss = await useBoss(harness.database.url);
const aborter = new AbortController();
beforeAll(async () => {
  await workQueues(runnerBoss, { db, boss: runnerBoss, runnerId: harness.runnerId, signal: aborter.signal, agents: harness.runtime }, [githubSync, taskLand, runTask]);
});
afterAll(async () => {
  aborter.abort();
  await fake.close();
});

let repoCount = 0;
/** A task of the hand-off worker in a sample repository mirrored on the fake GitHub as acme/<name>. */
async function githubTask(autoChecks: AutoChecks, settings: Partial<RunSettings> = {}) {
  const name = `greeter-${++repoCount}`;
  const seeded = await harness.seedWorkerTask({
    scenario: "hand-off-worker",
    scope: ["*.txt"],
    settings: { draftPullRequests: false, ...settings },
    repository: { github: `acme/${name}` },
  });
  await fake.createRepo("acme", name, { seedFrom: seeded.repo!, autoChecks });
  return { ...seeded, name };
}

const prOf = async (taskId: string) => (await db.select().from(pullRequests).where(eq(pullRequests.taskId, taskId)))[0]!;
const work = () => ({ ...harness.ctx, boss: runnerBoss });

describe("the GitHub loop (real codex, real git, fake GitHub)", () => {
  it("opens a PR with the worker's commit and Foreman's verification; a failing check gets exactly one follow-up on the same branch; green goes to review", async () => {
    const { task, repo, name } = await githubTask([{ name: "ci", sequence: [{ conclusion: "failure", output: { title: "1 test failed", summary: "test_greeting: expected a trailing newline" } }, { conclusion: "success" }] }]);
    const outcome = await runTaskAttempt(work(), { taskId: task.id, attempt: 1 });
    expect(outcome.status).toBe("verifying");

    const pull = fake.pulls().find((p) => p.repo === name)!;
    const branch = (await harness.task(task.id)).branch!;
    expect(pull).toMatchObject({ head: branch, base: "main", state: "open", draft: false });
    const firstSha = gitOut(repo!, "rev-parse", branch);
    expect((await fake.branches("acme", name))[branch]).toBe(firstSha);
    expect(pull.body).toContain("## Foreman's verification");
    expect(pull.body).toContain("`sh test.sh` (task) → exit 0");
    expect(pull.body).toContain("greeting.txt");
    // The token went through the credential helper: never in a URL or an argument git was given.
    expect(fake.requests.filter((r) => r.kind === "git").every((r) => !r.path.includes(TOKEN) && !r.query.includes(TOKEN))).toBe(true);

    // The runner's sync sees the failure, starts one follow-up, pushes the fix, then sees green.
    await until(async () => (await harness.task(task.id)).status === "needs_review", "the task to reach review after the CI fix", 90_000);
    const events = await harness.events(task.id);
    const ciTurns = ofType(events, "agent.turn_started").filter((turn) => turn.purpose === "ci_fix");
    expect(ciTurns).toHaveLength(1);
    const pr = await prOf(task.id);
    expect(pr.ciFixShas).toEqual([firstSha]);
    expect(pr.ciState).toBe("success");
    const fixSha = (await fake.branches("acme", name))[branch]!;
    expect(fixSha).not.toBe(firstSha);
    expect(gitOut(repo!, "merge-base", "--is-ancestor", firstSha, fixSha)).toBe("");
    expect(gitOut(repo!, "show", "--name-only", "--format=", fixSha)).toContain("ci-fix.txt");
    // The follow-up continued the worker's thread, and its prompt quoted the failing check's output.
    const requests = harness.model.requestsFor("hand-off-worker").filter((r) => r.outcome === "answered" && JSON.stringify(r.body).includes("CI failed on pull request"));
    expect(requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(requests[0]!.body)).toContain("test_greeting: expected a trailing newline");
    expect(fake.pulls().filter((p) => p.repo === name)).toHaveLength(1);
    expect(fake.unexpectedRequests()).toEqual([]);
  }, 150_000);

  it("routes review comments by category, asks about an unclear one and posts the answer, and waits for a human on architecture", async () => {
    const { task, name } = await githubTask([{ name: "ci", conclusion: "success" }]);
    await runTaskAttempt(work(), { taskId: task.id, attempt: 1 });
    await until(async () => (await harness.task(task.id)).status === "needs_review", "review after green CI", 60_000);
    const number = (await prOf(task.id)).number;
    const posted = async (body: string, path?: string) =>
      path ? (await fake.addReviewComment("acme", name, number, { author: "reviewer", path, line: 1, body })).id : fake.addIssueComment("acme", name, number, { author: "reviewer", body }).id;
    const ids = {
      bug: await posted("[category:bug] The greeting drops the trailing newline.", "greeting.txt"),
      style: await posted("[category:style] Prefer lowercase file names.", "greeting.txt"),
      tests: await posted("[category:test_request] Please add a test for the comma."),
      docs: await posted("[category:documentation] Mention the greeting in the README."),
      architecture: await posted("[category:architecture] Greetings should come from a locale table instead."),
      unclear: await posted("[category:unclear] Hmm, is this what we want?"),
    };

    // A signed webhook brings the comments in at once (no heartbeat runs in this test).
    const payload = await fake.webhookPayload({ event: "issue_comment", owner: "acme", repo: name, number, commentId: ids.unclear });
    const body = JSON.stringify(payload);
    const delivered = await receiveWebhook(db, webBoss, SECRET, { body, signature: signWebhook(SECRET, body), event: "issue_comment", deliveryId: `comments-${name}` });
    expect(delivered).toEqual({ duplicate: false, synced: 1 });

    // bug, style, test_request, documentation: one follow-up on the same thread, then replies on each thread.
    await until(async () => fake.posted.filter((p) => p.number === number && p.body.includes("Addressed in")).length === 4 && (await harness.task(task.id)).status === "needs_review", "replies on the four addressed comments", 90_000).catch(async (error) => {
      console.log((await harness.events(task.id)).map((e) => JSON.stringify(e).slice(0, 300)).join("\n"));
      console.log(JSON.stringify(fake.posted), (await db.select().from(pullRequests).where(eq(pullRequests.taskId, task.id)))[0]?.lastSyncError);
      throw error;
    });
    const rows = await db.select().from(reviewComments).where(eq(reviewComments.taskId, task.id));
    const byExternal = new Map(rows.filter((row) => !row.fromForeman).map((row) => [row.externalId, row]));
    expect(Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, byExternal.get(id)?.category]))).toEqual({
      bug: "bug",
      style: "style",
      tests: "test_request",
      docs: "documentation",
      architecture: "architecture",
      unclear: "unclear",
    });
    const feedbackTurns = ofType(await harness.events(task.id), "agent.turn_started").filter((turn) => turn.purpose === "review_feedback");
    expect(feedbackTurns).toHaveLength(1);
    const replies = fake.posted.filter((p) => p.number === number && p.body.includes("Addressed in"));
    expect(replies.filter((reply) => reply.kind === "review_comment_reply").map((reply) => reply.inReplyTo).sort()).toEqual([ids.bug, ids.style].sort());
    // architecture: a pending approval, no work started for it.
    const [approval] = await db.select().from(approvals).where(eq(approvals.taskId, task.id));
    expect(approval).toMatchObject({ kind: "architecture", status: "pending" });
    expect(approval!.reason).toContain("locale table");
    // unclear: a question in the browser (source comment); the human's answer is posted on the PR.
    const [question] = await db.select().from(questions).where(eq(questions.taskId, task.id));
    expect(question).toMatchObject({ source: "comment", status: "open" });
    expect(question!.text).toContain("is this what we want?");
    await answerQuestions(db, webBoss, task.runId ?? (await harness.task(task.id)).runId, [{ questionId: question!.id, text: "Yes: keep it as it is." }], "alice@example.com");
    await until(() => fake.posted.find((p) => p.number === number && p.body.includes("Yes: keep it as it is.")), "the answer posted on the PR", 30_000);
    expect(fake.unexpectedRequests()).toEqual([]);
  }, 200_000);

  it("rejects a badly signed webhook and changes nothing; a valid one syncs at once; a replay is ignored", async () => {
    const { task, name } = await githubTask([{ name: "ci", status: "in_progress" }]);
    await runTaskAttempt(work(), { taskId: task.id, attempt: 1 });
    await until(async () => (await prOf(task.id)).syncedAt, "the first sync", 30_000);
    const pr = await prOf(task.id);
    expect(pr.ciState).toBe("pending");
    const check = await fake.setCheckRun("acme", name, pr.headSha!, { name: "ci", status: "completed", conclusion: "success" });
    const payload = JSON.stringify(await fake.webhookPayload({ event: "check_run", owner: "acme", repo: name, checkRunId: check.id }));
    const countRows = async () => ({
      deliveries: (await db.select().from(githubDeliveries)).length,
      events: (await db.select().from(runEvents).where(eq(runEvents.taskId, task.id))).length,
    });

    const before = await countRows();
    const forged = receiveWebhook(db, webBoss, SECRET, { body: payload, signature: signWebhook("not-the-secret", payload), event: "check_run", deliveryId: `forged-${name}` });
    await expect(forged).rejects.toBeInstanceOf(AppError);
    await expect(forged).rejects.toMatchObject({ code: "unauthenticated" });
    const unsigned = receiveWebhook(db, webBoss, SECRET, { body: payload, signature: null, event: "check_run", deliveryId: `unsigned-${name}` });
    await expect(unsigned).rejects.toMatchObject({ code: "unauthenticated" });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await countRows()).toEqual(before);
    expect((await prOf(task.id)).ciState).toBe("pending");

    const sentAt = Date.now();
    const delivery = { body: payload, signature: signWebhook(SECRET, payload), event: "check_run", deliveryId: `check-${name}` };
    expect(await receiveWebhook(db, webBoss, SECRET, delivery)).toEqual({ duplicate: false, synced: 1 });
    await until(async () => (await harness.task(task.id)).status === "needs_review", "the board to show the green check", 10_000);
    console.log(`[github-loop] webhook → task in review: ${Date.now() - sentAt} ms`);
    expect((await prOf(task.id)).ciState).toBe("success");

    const syncsBefore = fake.requests.filter((r) => r.route === "GET /repos/:owner/:repo/pulls/:number").length;
    expect(await receiveWebhook(db, webBoss, SECRET, delivery)).toEqual({ duplicate: true, synced: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.requests.filter((r) => r.route === "GET /repos/:owner/:repo/pulls/:number").length).toBe(syncsBefore);
  }, 120_000);

  it("merges from Foreman only when CI is green and the PR is approved; a rate limit pauses sync until the reset", async () => {
    const { task, name } = await githubTask([{ name: "ci", conclusion: "success" }]);
    await runTaskAttempt(work(), { taskId: task.id, attempt: 1 });
    await until(async () => (await harness.task(task.id)).status === "needs_review", "review after green CI", 60_000);
    const pr = await prOf(task.id);
    await expect(mergeTask(db, webBoss, task.id, "alice@example.com")).rejects.toThrow(/no approving review/);
    expect(fake.merges).toHaveLength(0);

    // GitHub rate-limits us while a reviewer approves: the sync waits for the reset instead of failing the run.
    const resetAt = fake.rateLimit(new Date(Date.now() + 4000));
    await fake.addReview("acme", name, pr.number, { author: "reviewer", state: "APPROVED", body: "" });
    const { enqueueSync } = await import("../../lib/github/enqueue-sync");
    await enqueueSync(webBoss, pr.id, "heartbeat");
    const limited = await until(async () => ofType(await harness.events(task.id), "github.rate_limited")[0], "the rate-limit event", 15_000);
    expect(new Date(limited.until).getTime()).toBe(resetAt * 1000);
    expect((await harness.task(task.id)).status).toBe("needs_review");
    expect((await prOf(task.id)).reviewState).toBeNull();
    await until(async () => (await prOf(task.id)).reviewState === "APPROVED", "the approval, synced after the reset", 20_000).catch(async (error) => {
      console.log((await harness.events(task.id)).slice(-8).map((e) => JSON.stringify(e).slice(0, 300)).join("\n"));
      console.log(JSON.stringify(await db.execute("select name, state, singleton_key, start_after, output from pgboss.job where name = 'github.sync' order by created_on" as never)));
      console.log(JSON.stringify(fake.requests.slice(-6)));
      throw error;
    });
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt * 1000);

    await mergeTask(db, webBoss, task.id, "alice@example.com");
    await until(async () => (await harness.task(task.id)).status === "done", "the merge", 30_000);
    expect(fake.merges).toMatchObject([{ repo: name, number: pr.number }]);
    expect(fake.pulls().find((p) => p.repo === name)).toMatchObject({ merged: true });
    expect(ofType(await harness.events(task.id), "task.merged")).toMatchObject([{ via: "github", number: pr.number }]);
  }, 120_000);

  it("a PR that no longer merges gets a follow-up that merges the base in and resolves it, then merges", async () => {
    const first = await githubTask([{ name: "ci", conclusion: "success" }], { mergeWithoutApproval: true });
    const second = await harness.seedWorkerTask({ scenario: "conflicting-worker", runId: first.runId, key: "T2", scope: ["*.txt"] });
    await runTaskAttempt(work(), { taskId: first.task.id, attempt: 1 });
    await runTaskAttempt(work(), { taskId: second.task.id, attempt: 1 });
    await until(async () => (await harness.task(first.task.id)).status === "needs_review" && (await harness.task(second.task.id)).status === "needs_review", "both PRs green", 60_000);

    await mergeTask(db, webBoss, first.task.id, "alice@example.com");
    await until(async () => (await harness.task(first.task.id)).status === "done", "the first merge", 30_000);
    // T2 changed the same line: GitHub refuses the merge; the worker merges main in and resolves it on its own branch.
    await mergeTask(db, webBoss, second.task.id, "alice@example.com");
    await until(async () => ofType(await harness.events(second.task.id), "agent.turn_started").some((turn) => turn.purpose === "conflict"), "the conflict follow-up", 30_000);
    await until(async () => (await harness.task(second.task.id)).status === "needs_review", "T2 green again", 60_000);
    const branch = (await harness.task(second.task.id)).branch!;
    const tips = await fake.branches("acme", first.name);
    expect(gitOut(second.repo ?? first.repo!, "merge-base", "--is-ancestor", tips.main!, tips[branch]!)).toBe("");

    await mergeTask(db, webBoss, second.task.id, "alice@example.com");
    await until(async () => (await harness.task(second.task.id)).status === "done", "the second merge", 30_000);
    expect(fake.merges.filter((merge) => merge.repo === first.name)).toHaveLength(2);
  }, 180_000);
});
