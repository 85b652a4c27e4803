// The GitHub loop in the browser, against e2e/fake-github (a real git remote over http, scripted CI, reviews
// and signed webhooks): the PR is opened and followed, an unclear review comment becomes a question on the
// run page whose answer is posted on the PR, and merging from the browser is refused until it is allowed.
import { createHmac, randomUUID } from "node:crypto";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { FAKE_GITHUB_URL, GITHUB_TOKEN, WEBHOOK_SECRET } from "./github-env";
import { makeSampleRepo, uniqueName } from "./helpers";

const RUNNER_TIMEOUT = 45_000;


/** The fake's scripting API (e2e/fake-github/README.md). */
async function fake<T>(request: APIRequestContext, method: "GET" | "POST", route: string, data?: unknown): Promise<T> {
  const response = await request.fetch(`${FAKE_GITHUB_URL}/_fake/${route}`, { method, ...(data === undefined ? {} : { data }) });
  expect(response.ok(), `fake GitHub ${method} ${route}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

const sign = (body: string, secret = WEBHOOK_SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

test("the webhook route checks the signature and ignores a replayed delivery", async ({ request }) => {
  const body = JSON.stringify({ action: "completed", repository: { full_name: "nobody/nothing" }, check_run: { head_sha: "f".repeat(40), pull_requests: [] } });
  const headers = { "content-type": "application/json", "x-github-event": "check_run", "x-github-delivery": randomUUID() };
  const forged = await request.post("/api/github/webhook", { headers: { ...headers, "x-hub-signature-256": sign(body, "not-the-secret") }, data: body });
  expect(forged.status()).toBe(401);
  expect(await forged.text()).toContain("signature");
  const first = await request.post("/api/github/webhook", { headers: { ...headers, "x-hub-signature-256": sign(body) }, data: body });
  expect(first.status(), await first.text()).toBe(202);
  expect(await first.json()).toEqual({ duplicate: false, synced: 0 });
  const replay = await request.post("/api/github/webhook", { headers: { ...headers, "x-hub-signature-256": sign(body) }, data: body });
  expect(replay.status()).toBe(200);
  expect(await replay.json()).toEqual({ duplicate: true, synced: 0 });
});

test("an unclear review comment becomes a question in the browser, and the answer is posted on the PR", async ({ page, request, baseURL }) => {
  test.setTimeout(180_000);
  const checkout = makeSampleRepo();
  const name = uniqueName("greeter");
  try {
    await fake(request, "POST", "repos", { owner: "acme", name, seedFrom: checkout.path, autoChecks: [{ name: "ci", conclusion: "success" }] });
    const created = await request.post("/api/repositories", { data: { name, path: checkout.path, github: `acme/${name}`, githubToken: GITHUB_TOKEN } });
    expect(created.status(), await created.text()).toBe(201);
    const repositoryId = ((await created.json()) as { repository: { id: string } }).repository.id;
    const run = await request.post("/api/runs", {
      data: { repositoryId, scope: "Fix the greeting on GitHub.\n\n[scenario:manager-handoff]", settings: { autoApprovePlan: true, draftPullRequests: false } },
    });
    expect(run.status(), await run.text()).toBe(201);
    const runId = ((await run.json()) as { id: string }).id;

    await page.goto(`/runs/${runId}`);
    const card = page.getByTestId("task-card").and(page.locator('[data-key="T1"]'));
    // Verified, pushed, PR opened, CI green: the card waits in review.
    await expect(page.getByRole("list", { name: /^Needs review:/ }).getByTestId("task-card")).toHaveCount(1, { timeout: RUNNER_TIMEOUT });
    await expect(card).toContainText("#1");
    const pulls = await fake<{ repo: string; number: number; head: string; body: string }[]>(request, "GET", "pulls");
    const pull = pulls.find((p) => p.repo === name)!;
    expect(pull.body).toContain("Foreman's verification");

    // A reviewer asks something Foreman cannot decide; GitHub tells Foreman by webhook.
    const comment = await fake<{ id: number }>(request, "POST", `repos/acme/${name}/issues/${pull.number}/comments`, {
      author: "reviewer",
      body: "[category:unclear] Is a comma really what marketing wants here?",
    });
    const sent = await fake<{ status: number }>(request, "POST", "webhooks/send", {
      targetUrl: `${baseURL}/api/github/webhook`,
      build: { event: "issue_comment", owner: "acme", repo: name, number: pull.number, commentId: comment.id },
      secret: WEBHOOK_SECRET,
    });
    expect(sent.status).toBe(202);

    const question = page.getByTestId("open-question");
    await expect(question).toContainText("Is a comma really what marketing wants here?", { timeout: RUNNER_TIMEOUT });
    await question.getByRole("textbox").fill("Yes, marketing signed off on the comma.");
    await page.getByRole("button", { name: "Send answers" }).click();
    await expect(async () => {
      const posted = await fake<{ repo: string; number: number; body: string }[]>(request, "GET", "posted");
      expect(posted.some((p) => p.repo === name && p.number === pull.number && p.body.includes("Yes, marketing signed off on the comma."))).toBe(true);
    }).toPass({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("open-question")).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath("github-run.png"), fullPage: true });
  } finally {
    checkout.remove();
  }
});
