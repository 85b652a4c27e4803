// Journey: a run created through the API shows, in the browser, an event appended by the runner, without reloading the page.
// Runs against `npm start` (production build, embedded PostgreSQL, real runner) in a fresh data dir; see playwright.config.ts.
// Run: `npx next build && npx playwright test`; screenshots of the run page and the runs list are attached to the report.
import { type Page, test as base, expect } from "@playwright/test";
import { createRepository, createRun, listEvents, makeGitRepo, type Repository, requestHeartbeat } from "./helpers";

declare global {
  interface Window {
    __noReload?: boolean;
    __xss?: number;
  }
}

/** A registered repository backed by a throwaway git checkout, removed afterwards. */
const test = base.extend<{ repository: Repository }>({
  repository: async ({ request }, use) => {
    const checkout = makeGitRepo();
    try {
      await use(await createRepository(request, { path: checkout.path }));
    } finally {
      checkout.remove();
    }
  },
});

// The runner polls its queues every 2 s; leave room for a slow machine.
const RUNNER_EVENT_TIMEOUT = 20_000;

const feedItems = (page: Page) => page.getByTestId("event-feed").locator("li");

async function shownEvents(page: Page): Promise<{ seq: number; type: string }[]> {
  return feedItems(page).evaluateAll((items) =>
    items.map((item) => ({ seq: Number(item.getAttribute("data-seq")), type: item.getAttribute("data-type") ?? "" })),
  );
}

async function attachScreenshot(page: Page, name: string, file: string) {
  const testInfo = test.info();
  const target = testInfo.outputPath(file);
  await page.screenshot({ path: target, fullPage: true });
  await testInfo.attach(name, { path: target, contentType: "image/png" });
}

test("a runner event appears on an open run page without a reload", async ({ page, request, repository, baseURL }) => {
  test.setTimeout(90_000);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));

  const run = await createRun(request, repository.id, "Live feed check\n\nThe runner's events reach an open page.");
  expect(run.url).toBe(`${baseURL}/runs/${run.id}`);

  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId("run-title")).toHaveText("Live feed check");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");

  // What the runner appended when it picked the review up (live or replayed on subscribe).
  await expect(feedItems(page).and(page.locator('[data-type="run.picked_up"]'))).toHaveCount(1, { timeout: RUNNER_EVENT_TIMEOUT });

  // From here on, any reload or navigation of this page would fail the test.
  let navigations = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.evaluate(() => {
    window.__noReload = true;
  });
  const before = await shownEvents(page);
  expect(before.map((event) => event.type)).not.toContain("heartbeat.completed");
  const lastSeqBefore = Math.max(...before.map((event) => event.seq));

  // A new runner event, caused only after the page is live.
  expect(await requestHeartbeat(request, run.id)).toEqual({ queued: true });
  const heartbeat = feedItems(page).and(page.locator('[data-type="heartbeat.completed"]'));
  await expect(heartbeat).toHaveCount(1, { timeout: RUNNER_EVENT_TIMEOUT });
  await expect(heartbeat).toContainText("Heartbeat (manual)");
  expect(Number(await heartbeat.getAttribute("data-seq"))).toBeGreaterThan(lastSeqBefore);

  expect(await page.evaluate(() => window.__noReload), "the page was reloaded").toBe(true);
  expect(navigations, "the page navigated").toBe(0);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");

  // The manager's review (running beside the heartbeat) lands too; then the feed shows exactly what is stored, in order, each event once.
  await expect(feedItems(page).and(page.locator('[data-type="question.asked"]'))).toHaveCount(1, { timeout: RUNNER_EVENT_TIMEOUT });
  await expect(async () => {
    const shown = await shownEvents(page);
    const seqs = shown.map((event) => event.seq);
    for (let i = 1; i < seqs.length; i += 1) {
      expect(seqs[i]!, `seq ${seqs[i]} follows ${seqs[i - 1]} in the feed`).toBeGreaterThan(seqs[i - 1]!);
    }
    expect(shown).toEqual(await listEvents(request, run.id));
  }).toPass({ timeout: 10_000 });
  expect((await shownEvents(page)).map((event) => event.type)).toEqual(
    expect.arrayContaining(["run.created", "run.picked_up", "review.completed", "question.asked", "heartbeat.completed"]),
  );
  expect(pageErrors, `uncaught errors in the page: ${pageErrors.map((error) => error.message).join("; ")}`).toEqual([]);

  await attachScreenshot(page, "run page", "run-page.png");

  await page.goto("/");
  // The database is shared by every test of this run: find this run by its link.
  await expect(page.locator(`a[href="/runs/${run.id}"]`)).toContainText("Live feed check");
  await attachScreenshot(page, "runs list", "runs-list.png");
});

test("a scope with HTML in it is shown as text and never runs", async ({ page, request, repository }) => {
  const imgPayload = `<img src=x onerror="window.__xss=1">`;
  const scriptPayload = `<script>window.__xss=1</script>`;
  const run = await createRun(request, repository.id, `${imgPayload}\n${scriptPayload}\n`);

  await page.goto(`/runs/${run.id}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("run-title")).toHaveText(imgPayload);
  // The tab may lead with the count of what waits for a person, "(1) " once the manager asks: the rest is the HTML as text.
  const escaped = imgPayload.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  await expect(page).toHaveTitle(new RegExp(`^(\\(\\d+\\) )?${escaped} · Foreman$`));
  // The run.created event repeats the title in the live feed.
  await expect(feedItems(page).and(page.locator('[data-type="run.created"]'))).toContainText(imgPayload);

  await page.locator("summary", { hasText: "Scope" }).click();
  const scope = page.locator("details pre");
  await expect(scope).toBeVisible();
  await expect(scope).toHaveText(`${imgPayload}\n${scriptPayload}\n\n\n[scenario:manager-questions]`);

  // An injected <img src=x> would fail to load and fire onerror; give it the chance.
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  await attachScreenshot(page, "run page with HTML in the scope", "run-page-xss.png");

  await page.goto("/");
  await expect(page.locator(`a[href="/runs/${run.id}"]`)).toContainText(imgPayload);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});
