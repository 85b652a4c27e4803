import { and, asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { questions, repositories, runs, webhookAttempts, webhookDeliveries } from "../../db/schema";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { marker } from "../../e2e/scripted-model/scenarios/workers";
import type { QueuePayload } from "../../lib/jobs/queues";
import { describeDelivery } from "../../lib/notifications/describe-delivery";
import { listDeliveries } from "../../lib/notifications/list-deliveries";
import { createWebhook, deleteWebhook, queueTestDelivery } from "../../lib/notifications/webhook-endpoints";
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from "../../lib/notifications/sign-webhook";
import type { CreateWebhookInput } from "../../lib/notifications/schema";
import { answerQuestions } from "../../lib/runs/answer-questions";
import type { RunSettings } from "../../lib/runs/settings";
import { listenForDeliveries } from "../../worker-runner/deliveries";
import { runFinish } from "../../worker-runner/jobs/run-finish";
import { runHeartbeat } from "../../worker-runner/jobs/run-heartbeat";
import { runPlan } from "../../worker-runner/jobs/run-plan";
import { runReview } from "../../worker-runner/jobs/run-review";
import { webhookDeliver } from "../../worker-runner/jobs/webhook-deliver";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { workQueues } from "../../worker-runner/work-queues";
import { useBoss } from "../support/boss";
import { makeGitRepo, seedRun, seedUser } from "../support/factories";
import { type Received, startWebhookReceiver } from "../support/webhook-receiver";
import { until, useWorkerHarness } from "../support/workers";

const FOREMAN_SECRET = "a-test-foreman-secret-of-at-least-32-characters";
const PUBLIC_URL = "http://foreman.test:3000";

const harness = await useWorkerHarness();
const { db } = harness;
// A runner: it works the webhook queue for real (pg-boss retries with backoff); the run's own jobs are called directly.
const boss = await useBoss(harness.database.url, "runner");
const runner = {
  db,
  boss,
  runnerId: "webhook-runner",
  signal: new AbortController().signal,
  agents: harness.runtime,
  webhooks: { secret: FOREMAN_SECRET, publicUrl: PUBLIC_URL },
};
await workQueues(boss, runner, [webhookDeliver]);
const deliveries = await listenForDeliveries({ db, sql: harness.database.sql, boss, retry: { delaySeconds: 1, maxDelaySeconds: 2 } });
afterAll(() => deliveries.close());

const receiver = await startWebhookReceiver({
  // The first request fails, every later one is accepted.
  "/flaky": (previous) => ({ status: previous === 0 ? 500 : 200 }),
  "/moved": () => ({ status: 302, headers: { location: "http://elsewhere.example/hook" } }),
});
afterAll(() => receiver.close());
const person = await seedUser(db);
const addWebhook = async (input: Partial<CreateWebhookInput> & { path: string }) =>
  createWebhook(
    db,
    person.id,
    { name: input.name ?? `Hook ${input.path}`, kind: input.kind ?? "json", url: `${receiver.base}${input.path}`, moments: input.moments ?? ["needs_input", "approval", "blocked", "budget", "completed", "failed"], runId: input.runId ?? null },
    FOREMAN_SECRET,
  );
// For every run this person can see: signed JSON, and a Slack-compatible message.
const everyRun = await addWebhook({ path: "/every-run" });
await addWebhook({ path: "/slack", kind: "slack", moments: ["completed"] });

type Payload = { id: string; version: number; moment: string; text: string; detail: string; run: { id: string; title: string; url: string } | null; task: { key: string } | null };

/** The verified JSON payloads that reached `path` about one run. */
function signedPayloads(path: string, runId: string, secret = everyRun.signingSecret!): Payload[] {
  return receiver.at(path).flatMap((request: Received) => {
    const checked = verifyWebhook(secret, { signature: header(request, SIGNATURE_HEADER), timestamp: header(request, TIMESTAMP_HEADER), body: request.body });
    if (!checked.ok) throw new Error(`a webhook with a bad signature reached ${path}: ${checked.why}`);
    const payload = JSON.parse(request.body) as Payload;
    expect(header(request, DELIVERY_HEADER)).toBe(payload.id);
    return payload.run?.id === runId ? [payload] : [];
  });
}
const header = (request: Received, name: string) => {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
};
const arrived = (runId: string, moment: string) => until(() => signedPayloads("/every-run", runId).find((payload) => payload.moment === moment), `a signed ${moment} webhook for run ${runId}`);

async function managerRun(scenario: string) {
  const repo = makeGitRepo(SAMPLE_REPO_FILES);
  const [repository] = await db.insert(repositories).values({ name: `repo-${scenario}-${Date.now()}`, path: repo, baseBranch: "main" }).returning();
  return seedRun(db, { repositoryId: repository!.id, title: `Fix the greeting (${scenario})`, scope: `${marker(scenario)}\n## Fix the greeting\nIt should say hello, world.` });
}
async function workerRun(worker: string, manager: string, settings: Partial<RunSettings> = {}) {
  const seeded = await harness.seedWorkerTask({ scenario: worker, currentAttempt: 1, settings: { followUpCap: 0, ...settings } });
  await db.update(runs).set({ scope: `${marker(manager)} Make the greeting say hello, world.` }).where(eq(runs.id, seeded.runId));
  return seeded;
}
const job = { id: "job", retryCount: 0 };
const heartbeat = (runId: string) => runHeartbeat.handle(runner, { runId, trigger: "schedule" }, job);

describe("signed webhooks for the moments a run needs a human", () => {
  it("arrive when the review asks a question and when the plan waits for approval", async () => {
    const run = await managerRun("manager-questions");
    await runReview.handle(runner, { runId: run.id }, job);
    const asked = await arrived(run.id, "needs_input");
    expect(asked.text).toBe(`“${run.title}” needs your answer: Should the greeting end with a full stop?`);
    expect(asked.run).toEqual({ id: run.id, title: run.title, url: `${PUBLIC_URL}/runs/${run.id}` });

    const [question] = await db.select().from(questions).where(eq(questions.runId, run.id));
    await answerQuestions(db, boss, run.id, [{ questionId: question!.id, text: "No full stop." }], person.email);
    await runReview.handle(runner, { runId: run.id }, job);
    await runPlan.handle(runner, { runId: run.id, comment: null }, job);
    const approval = await arrived(run.id, "approval");
    expect(approval.text).toBe(`“${run.title}” waits for your approval: the plan is ready for a decision.`);
  });

  it("arrives when a task is blocked and the manager's review leaves no automatic way forward", async () => {
    const { task, runId } = await workerRun("stubborn-worker", "judge-follow-up", { managerFollowUpCap: 0 });
    expect(await runTaskAttempt({ ...harness.ctx, boss }, { taskId: task.id, attempt: 1 })).toMatchObject({ status: "blocked" });
    await heartbeat(runId);
    const blocked = await arrived(runId, "blocked");
    expect(blocked.task?.key).toBe("T1");
    expect(blocked.text).toMatch(/^T1 of “.+” is blocked and needs a human: The manager asked for another follow-up on T1, but it has had 0 of 0/);
  });

  it("arrives when the run completes, and no blocked one when the manager's follow-up carried the task on", async () => {
    const { task, runId } = await workerRun("stuck-worker", "judge-follow-up");
    await runTaskAttempt({ ...harness.ctx, boss }, { taskId: task.id, attempt: 1 });
    await heartbeat(runId);
    const [followUp] = (await boss.findJobs<QueuePayload<"task.run">>("task.run", { data: { taskId: task.id } })).filter((found) => found.data.attempt === 2);
    expect(await runTaskAttempt({ ...harness.ctx, boss }, followUp!.data)).toMatchObject({ status: "done" });
    await runFinish.handle(runner, { runId }, job);

    expect((await arrived(runId, "completed")).text).toMatch(/^“.+” completed: every task is done or dropped$/);
    expect(signedPayloads("/every-run", runId).map((payload) => payload.moment)).toEqual(["completed"]);
    // The Slack-compatible endpoint gets a message with text and blocks, unsigned.
    const slack = await until(() => receiver.at("/slack").find((request) => request.body.includes(runId)), "the Slack message");
    expect(JSON.parse(slack.body)).toMatchObject({ text: expect.stringContaining("completed"), blocks: expect.arrayContaining([expect.objectContaining({ type: "section" })]) });
    expect(header(slack, SIGNATURE_HEADER)).toBeNull();
  });

  it("arrives when the run reaches its token budget", async () => {
    const { task, runId } = await workerRun("stubborn-worker", "judge-follow-up", { tokenBudget: 2000 });
    await runTaskAttempt({ ...harness.ctx, boss }, { taskId: task.id, attempt: 1 });
    expect((await arrived(runId, "budget")).text).toMatch(/paused: token budget reached: \d+ of 2000 tokens/);
  });

  it("arrives when the run fails, and a failing receiver is tried again and every try logged", async () => {
    const run = await managerRun("manager-glob-bomb");
    const flaky = await addWebhook({ path: "/flaky", name: "Flaky receiver", runId: run.id, moments: ["failed"] });
    await runReview.handle(runner, { runId: run.id }, job);
    await runPlan.handle(runner, { runId: run.id, comment: null }, job);
    expect((await arrived(run.id, "failed")).text).toBe(`“${run.title}” failed: planning failed`);

    const [delivery] = await until(async () => {
      const rows = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, flaky.id), eq(webhookDeliveries.status, "delivered")));
      return rows.length ? rows : null;
    }, "the flaky receiver's delivery");
    // Two tries, both signed with the endpoint's own secret, of one delivery.
    const tries = signedPayloads("/flaky", run.id, flaky.signingSecret!);
    expect(tries.map((payload) => payload.id)).toEqual([delivery!.id, delivery!.id]);
    const logged = await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, delivery!.id)).orderBy(asc(webhookAttempts.number));
    expect(logged.map((row) => [row.number, row.statusCode, row.error])).toEqual([
      [1, 500, "it answered 500 Internal Server Error"],
      [2, 200, null],
    ]);
    const [entry] = (await listDeliveries(db, person.id)).filter((row) => row.id === delivery!.id).map(describeDelivery);
    expect(entry).toMatchObject({ outcome: "Delivered to “Flaky receiver” on try 2." });
    expect(entry!.tries[0]).toMatch(/^Try 1 failed after \d+ ms: it answered 500 Internal Server Error\.$/);
    expect(entry!.tries[1]).toMatch(/^Try 2: the receiver answered 200 after \d+ ms\.$/);

    // A job run twice delivers once: the same delivery's job again, through pg-boss.
    const again = await boss.send("webhook.deliver", { deliveryId: delivery!.id });
    await until(async () => (await boss.getJobById("webhook.deliver", again!))?.state === "completed", "the repeated job");
    expect(receiver.at("/flaky")).toHaveLength(2);
  });
});

describe("a delivery", () => {
  it("is sent once when two jobs for it run at the same time", async () => {
    const endpoint = await addWebhook({ path: "/once", moments: ["failed"] });
    const [row] = await db
      .insert(webhookDeliveries)
      .values({ endpointId: endpoint.id, moment: "test", dedupeKey: "twice", text: "Sent once.", queuedAt: new Date() })
      .returning();
    await Promise.all([webhookDeliver.handle(runner, { deliveryId: row!.id }, job), webhookDeliver.handle(runner, { deliveryId: row!.id }, job)]);
    expect(receiver.at("/once")).toHaveLength(1);
    expect((await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, row!.id)))[0]).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("never follows a redirect, and says so in its log", async () => {
    const endpoint = await addWebhook({ path: "/moved", name: "Moved", moments: ["failed"] });
    const { deliveryId } = await queueTestDelivery(db, endpoint.id, person.id);
    const [attempt] = await until(async () => {
      const rows = await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId));
      return rows.length ? rows : null;
    }, "the first try");
    expect(attempt).toMatchObject({ number: 1, statusCode: 302, error: "it redirected to elsewhere.example; Foreman does not follow redirects" });
    expect(receiver.at("/hook")).toEqual([]);
    // Deleted, the endpoint takes its pending delivery with it: the next try finds nothing to send.
    await deleteWebhook(db, endpoint.id, { id: person.id, isOwner: false });
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId))).toEqual([]);
  });
});
