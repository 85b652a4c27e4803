import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, githubDeliveries, pullRequests, questions, reviewComments, runEvents } from "../../db/schema";
import { FakeGitHub } from "../../e2e/fake-github/fake-github";
import { signWebhook } from "../../e2e/fake-github/send-webhook";
import { AppError } from "../../lib/http/app-error";
import { createBoss } from "../../lib/jobs/boss";
import { receiveWebhook } from "../../lib/github/receive-webhook";
import { answerQuestions } from "../../lib/runs/answer-questions";
import { mergeTask } from "../../lib/tasks/hand-off-actions";
import { githubSync } from "../../worker-runner/jobs/github-sync";
import { runTask } from "../../worker-runner/jobs/run-task";
import { taskLand } from "../../worker-runner/jobs/task-land";
import { workQueues } from "../../worker-runner/work-queues";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { seedRepository } from "../support/factories";
import { gitOut, ofType, until, useWorkerHarness } from "../support/workers";

const TOKEN = "ghs_fake_token_for_tests";
const SECRET = "webhook-secret-for-tests";
const fake = await FakeGitHub.start({ token: TOKEN });
const harness = await useWorkerHarness({ github: { apiUrl: fake.url, token: TOKEN, secret: "foreman-secret-for-tests-0123456789", publicUrl: "http://foreman.test" } });
const { db } = harness;

// A real runner for the hand-off queues (sync, land, follow-up attempts); the test plays the web.
let runnerBoss: PgBoss;
let webBoss: PgBoss;
const aborter = new AbortController();
beforeAll(async () => {
  runnerBoss = createBoss(harness.database.url, "runner");
  await runnerBoss.start();
  webBoss = createBoss(harness.database.url, "web");
  await webBoss.start();
  await workQueues(runnerBoss, { db, boss: runnerBoss, runnerId: harness.runnerId, signal: aborter.signal, agents: harness.runtime }, [githubSync, taskLand, runTask]);
});
afterAll(async () => {
  aborter.abort();
  await runnerBoss.stop({ graceful: false, close: true });
  await webBoss.stop({ graceful: false, close: true });
  await fake.close();
});

let repoCount = 0;
/** A task of the hand-off worker in a sample repository mirrored on the fake GitHub as acme/<name>. */
async function githubTask(autoChecks: Parameters<FakeGitHub["createRepo"]>[2]["autoChecks"], settings: Record<string, unknown> = {}) {
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
});
