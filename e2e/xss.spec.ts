// Journey (issue #6, AC4): HTML in a scope, in the model's messages and in a command's output is shown as text
// and never runs: on the run page (live and server-rendered), in the task drawer, on the runs list and in a shared view.
// The scripted scenario (scripted-model/scenarios/xss.ts) puts the payloads everywhere the model can write.
import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { createRepository, createRun, makeGitRepo } from "./helpers";
import { SAMPLE_REPO_FILES } from "./scripted-model/sample-repo";
import { XSS_PAYLOADS, XSS_TEXT } from "./scripted-model/scenarios/xss";

const RUNNER_TIMEOUT = 30_000;
const { img, script, svg } = XSS_PAYLOADS;
const SCOPE = `XSS journey ${img}\n\n${script}\n${svg}`;
const TITLE = `XSS journey ${img}`;

type StoredEventWithPayload = { seq: number; type: string; payload: Record<string, unknown> };

async function storedEvents(request: APIRequestContext, runId: string): Promise<StoredEventWithPayload[]> {
  const response = await request.get(`/api/runs/${runId}/events?after=0&limit=1000`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { events: StoredEventWithPayload[] }).events;
}

/**
 * Nothing the payloads would have made exists or ran: no element they describe, no event-handler
 * attribute anywhere, no script whose body is theirs, and `window.__xss` (which each payload sets) unset.
 */
async function expectNothingInjected(page: Page) {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("svg[onload]")).toHaveCount(0);
  await expect(page.locator("[onerror], [onload]")).toHaveCount(0);
  const scripts = await page.locator("script").evaluateAll((elements) => elements.filter((element) => element.textContent?.trim() === "window.__xss=1").length);
  expect(scripts, "a <script> from a payload is in the DOM").toBe(0);
  expect(await page.evaluate(() => window.__xss), "a payload ran").toBeUndefined();
}

/** Fails the test on any alert/confirm/prompt, on any page of the context. */
function watchDialogs(page: Page, seen: string[]) {
  page.on("dialog", (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

test("HTML in the scope, the model's messages and a command's output is shown as text and never runs", async ({ page, request, browser, baseURL }) => {
  test.setTimeout(180_000);
  const dialogs: string[] = [];
  watchDialogs(page, dialogs);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeGitRepo(SAMPLE_REPO_FILES);
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, SCOPE, "manager-xss");

    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await expect(page.getByTestId("run-title")).toHaveText(TITLE);

    // The manager's review and the plan, rendered live.
    const manager = page.getByTestId("manager-panel");
    await expect(manager.getByText(XSS_TEXT.reviewSummary, { exact: true })).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(manager).toContainText(XSS_TEXT.risk);
    const planned = page.getByTestId("plan-task").and(page.locator('[data-key="T1"]'));
    await expect(planned).toContainText(XSS_TEXT.taskTitle, { timeout: RUNNER_TIMEOUT });
    await expectNothingInjected(page);
    await page.getByRole("button", { name: "Approve plan" }).click();

    // The worker's events arrive live; the run finishes.
    const feed = page.getByTestId("event-feed");
    await expect(feed.getByText(`Report: done — ${XSS_TEXT.reportSummary}`, { exact: true })).toBeVisible({ timeout: RUNNER_TIMEOUT * 2 });
    // The run summary's paragraph goes on with the verification line: the payload text is part of it.
    await expect(manager.getByText(XSS_TEXT.runSummary)).toBeVisible({ timeout: RUNNER_TIMEOUT * 2 });

    // The command's output holds the payloads verbatim. No view renders command output yet (the feed and
    // the drawer show the command line): when one does, the DOM checks of expectNothingInjected cover it.
    const events = await storedEvents(request, run.id);
    const printed = events.find((event) => event.type === "agent.command_finished" && String(event.payload.command).includes("printf"));
    expect(printed, "the worker's printf command finished").toBeTruthy();
    expect(printed!.payload.exitCode).toBe(0);
    expect(String(printed!.payload.outputTail).split(/\r?\n/)).toEqual(expect.arrayContaining([img, script, svg]));

    await expectRunPage(page);

    // The task drawer: title, goal and definition of done from the plan, and the task's own activity.
    const card = page.getByTestId("task-card").and(page.locator('[data-key="T1"]'));
    await expect(card.getByText(XSS_TEXT.taskTitle, { exact: true })).toBeVisible();
    await card.getByRole("button").click();
    const drawer = page.getByTestId("task-drawer");
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("heading", { level: 2 })).toHaveText(XSS_TEXT.taskTitle);
    await expect(drawer.getByText(XSS_TEXT.taskGoal, { exact: true })).toBeVisible();
    await expect(drawer.getByText(XSS_TEXT.definitionOfDone, { exact: true })).toBeVisible();
    await expect(drawer.getByText(`Worker: ${XSS_TEXT.workerMessage}`, { exact: true })).toBeVisible();
    await expect(drawer.getByText(/^\$ .*printf/).first()).toContainText(svg);
    await expectNothingInjected(page);
    await page.screenshot({ path: test.info().outputPath("xss-drawer.png"), fullPage: true });
    await page.keyboard.press("Escape");

    // The same page rendered by the server, with the history replayed into the feed.
    await page.reload();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await expectRunPage(page);
    await expect(page).toHaveTitle(`${TITLE} · Foreman`);

    // The runs list.
    await page.goto("/");
    await expect(page.locator(`a[href="/runs/${run.id}"]`)).toContainText(TITLE);
    await expectNothingInjected(page);

    // A shared view, opened by someone without an account.
    const created = await request.post(`/api/runs/${run.id}/share-links`);
    expect(created.status()).toBe(201);
    const { url: shareUrl } = (await created.json()) as { url: string };
    const guest = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} });
    try {
      const viewer = await guest.newPage();
      watchDialogs(viewer, dialogs);
      viewer.on("pageerror", (error) => pageErrors.push(error));
      await viewer.goto(shareUrl);
      await expect(viewer).toHaveURL(`${baseURL}/runs/${run.id}`);
      await expect(viewer.getByText("Shared view · read-only")).toBeVisible();
      await expect(viewer.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
      await expectRunPage(viewer);
    } finally {
      await guest.close();
    }

    expect(dialogs, "a dialog opened").toEqual([]);
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
});

/** What a completed run page shows, each payload as literal text, and nothing injected. */
async function expectRunPage(page: Page) {
  await expect(page.getByTestId("run-title")).toHaveText(TITLE);
  const manager = page.getByTestId("manager-panel");
  await expect(manager.getByText(XSS_TEXT.reviewSummary, { exact: true })).toBeVisible();
  await expect(manager.getByText(XSS_TEXT.runSummary)).toBeVisible();
  await expect(manager).toContainText(XSS_TEXT.risk);

  // The scope, verbatim.
  await page.locator("summary", { hasText: "Scope" }).click();
  await expect(page.locator("details pre")).toHaveText(`${SCOPE}\n\n[scenario:manager-xss]`);

  const feed = page.getByTestId("event-feed");
  await expect(feed.getByText(`Run created: ${TITLE}`, { exact: true })).toBeVisible();
  await expect(feed.getByText(`Manager: ${XSS_TEXT.managerMessage}`, { exact: true })).toBeVisible();
  await expect(feed.getByText(`Worker: ${XSS_TEXT.workerMessage}`, { exact: true })).toBeVisible();
  await expect(feed.getByText(`Report: done — ${XSS_TEXT.reportSummary}`, { exact: true })).toBeVisible();
  await expect(feed.getByText(`Summary: ${XSS_TEXT.runSummary}`, { exact: true })).toBeVisible();
  // The command line as codex reports it (its own quoting around the payloads).
  const command = feed.getByText(/^\$ .*printf/);
  await expect(command).toHaveCount(2);
  for (const line of await command.all()) {
    await expect(line).toContainText(script);
    await expect(line).toContainText(svg);
  }
  await expect(page.getByTestId("task-card").getByText(XSS_TEXT.taskTitle, { exact: true })).toBeVisible();
  await expectNothingInjected(page);
}
