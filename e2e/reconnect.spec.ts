// Journey (issue #6, AC3): the page's socket drops mid-run and cannot come back for a while; events keep happening;
// once the connection is back, the activity feed shows every event of the gap exactly once, without a reload.
// Runs against `npm start` with the scripted model (see playwright.config.ts); the worker runs a command a second.
import { type APIRequestContext, type Page, expect, test } from "@playwright/test";
import { createRepository, createRun, listEvents, makeGitRepo, requestHeartbeat, type StoredEvent } from "./helpers";
import { SAMPLE_REPO_FILES } from "./scripted-model/sample-repo";
import { STEADY_TICKS } from "./scripted-model/scenarios/steady";

const RUNNER_TIMEOUT = 30_000;
/** useRunLive keeps the newest 2000 events; this run stays far below, so the feed must hold every stored event. */
const FEED_WINDOW = 2000;

/**
 * The page's link to the web server, which the test cuts and restores.
 *
 * `BrowserContext.setOffline` is Chromium's network emulation (DevTools' "Offline"): it closes the
 * page's open WebSocket at once (its TCP connection to the web server ends too, as `ss` shows, so the
 * server drops the socket from the run's room), and every reconnect attempt of socket.io-client then
 * fails in the browser's network stack with net::ERR_INTERNET_DISCONNECTED: the client really stays
 * disconnected, retrying with its back-off, until the link is back. The page's own fetches fail too;
 * the test's API calls (made from Node) do not.
 * Not `page.routeWebSocket`: a mocked socket closed before it opens fires no `error` event, and
 * socket.io-client then waits out its 20 s connect timeout before it tries again.
 * Every socket.io WebSocket the page opens, fails or closes is counted here.
 */
class SocketLink {
  /** socket.io WebSockets the page opened; of those, failed to connect; and still open. */
  opened = 0;
  failed = 0;
  open = 0;

  constructor(private readonly page: Page) {
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/socket.io/")) return;
      this.opened += 1;
      this.open += 1;
      ws.on("socketerror", () => (this.failed += 1));
      ws.on("close", () => (this.open -= 1));
    });
  }

  cut() {
    return this.page.context().setOffline(true);
  }

  restore() {
    return this.page.context().setOffline(false);
  }
}

const feed = (page: Page) => page.getByTestId("event-feed").locator("li");

/** The feed's lines as the page renders them: one seq per line, in DOM order. */
async function shownSeqs(page: Page): Promise<number[]> {
  return feed(page).evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-seq"))));
}

/**
 * Compares the feed with the stored events up to `upTo`: every stored event shown exactly once,
 * nothing shown that is not stored, in seq order. Lines are counted per seq, so a duplicate is named by its seq.
 */
function compareFeed(shown: number[], stored: StoredEvent[], upTo: number) {
  const expected = stored.filter((event) => event.seq <= upTo).map((event) => event.seq);
  const lines = new Map<number, number>();
  for (const seq of shown) lines.set(seq, (lines.get(seq) ?? 0) + 1);
  const duplicated = [...lines].filter(([, count]) => count > 1).map(([seq, count]) => `${seq}×${count}`);
  const missing = expected.filter((seq) => !lines.has(seq));
  const unknown = shown.filter((seq) => !expected.includes(seq));
  expect(duplicated, "events shown more than once").toEqual([]);
  expect(missing, "stored events missing from the feed").toEqual([]);
  expect(unknown, "feed lines that are not stored events (or past the compared range)").toEqual([]);
  expect(shown, "the feed is in seq order").toEqual(expected);
}

async function runStatus(request: APIRequestContext, runId: string): Promise<string> {
  const response = await request.get(`/api/runs/${runId}`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { run: { status: string } }).run.status;
}

test("after the socket drops mid-run and comes back, the feed shows every missed event exactly once", async ({ page, request }) => {
  test.setTimeout(180_000);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeGitRepo(SAMPLE_REPO_FILES);
  const link = new SocketLink(page);
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Reconnect journey\n\nTick for a while, then fix the greeting.", "manager-steady");

    await page.goto(`/runs/${run.id}`);
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-state", "live");
    expect([link.opened, link.open]).toEqual([1, 1]);

    // From here on, a reload or navigation of this page would fail the test.
    let navigations = 0;
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.evaluate(() => {
      window.__noReload = true;
    });

    await page.getByRole("button", { name: "Approve plan" }).click({ timeout: RUNNER_TIMEOUT });

    // The worker is ticking, and the page sees it live.
    const ticks = feed(page).and(page.locator('[data-type="agent.command_finished"]')).filter({ hasText: "echo tick" });
    await expect(async () => expect(await ticks.count()).toBeGreaterThanOrEqual(3)).toPass({ timeout: RUNNER_TIMEOUT * 2 });

    // Cut. The page says so, and its feed stops growing.
    await link.cut();
    await expect.poll(() => link.open, { message: "the page's WebSocket is closed" }).toBe(0);
    await expect(indicator).toHaveAttribute("data-state", "reconnecting", { timeout: 5_000 });
    await expect(indicator).toHaveText("reconnecting…");
    const shownAtCut = await shownSeqs(page);
    const lastShownAtCut = Math.max(...shownAtCut);

    // Meanwhile the run goes on: worker commands, and a "Check now" from this page's own request context.
    expect(await requestHeartbeat(page.request, run.id)).toEqual({ queued: true });
    let missed: StoredEvent[] = [];
    await expect(async () => {
      missed = (await listEvents(request, run.id)).filter((event) => event.seq > lastShownAtCut);
      expect(missed.filter((event) => event.type === "agent.command_finished").length).toBeGreaterThanOrEqual(4);
      expect(missed.map((event) => event.type)).toContain("heartbeat.completed");
    }).toPass({ timeout: RUNNER_TIMEOUT });
    const lastMissed = missed.at(-1)!.seq;
    test.info().annotations.push({ type: "gap", description: `${missed.length}+ events stored while the page was cut off` });

    // Still down: the client kept trying and was turned away, and nothing reached the feed.
    await expect.poll(() => link.failed, { message: "a reconnect attempt failed", timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await expect(indicator).toHaveAttribute("data-state", "reconnecting");
    expect(await shownSeqs(page), "the feed grew while the socket was cut").toEqual(shownAtCut);
    await expect(feed(page).and(page.locator('[data-type="heartbeat.completed"]'))).toHaveCount(0);

    // Restore: the client's next attempt gets through and the page says live again.
    await link.restore();
    await expect(indicator).toHaveAttribute("data-state", "live", { timeout: 15_000 });
    await expect(indicator).toHaveText("live");
    expect(link.open, "the page came back on one new socket").toBe(1);
    expect(link.opened - link.failed, "every attempt while cut failed").toBe(2);

    // The gap is filled: everything up to the newest line shown is there once, in order (events keep arriving meanwhile).
    await expect(async () => expect(Math.max(...(await shownSeqs(page)))).toBeGreaterThanOrEqual(lastMissed)).toPass({ timeout: 10_000 });
    const shownAfterGap = await shownSeqs(page);
    const storedAfterGap = await listEvents(request, run.id);
    compareFeed(shownAfterGap, storedAfterGap, Math.max(...shownAfterGap));
    // The heartbeat asked for while cut off is there once (a scheduled one may have run too: each shown once).
    const heartbeats = storedAfterGap.filter((event) => event.type === "heartbeat.completed" && event.seq <= Math.max(...shownAfterGap)).length;
    expect(heartbeats).toBeGreaterThanOrEqual(1);
    await expect(feed(page).and(page.locator('[data-type="heartbeat.completed"]'))).toHaveCount(heartbeats);

    // The run finishes live, and then the feed is exactly the stored events.
    await expect(async () => expect(await runStatus(request, run.id)).toBe("completed")).toPass({ timeout: RUNNER_TIMEOUT * 3 });
    const stored = await listEvents(request, run.id);
    expect(stored.length, "the run stays inside the feed's window").toBeLessThan(FEED_WINDOW);
    expect(stored.filter((event) => event.type === "agent.command_finished").length).toBeGreaterThanOrEqual(STEADY_TICKS);
    await expect(async () => compareFeed(await shownSeqs(page), stored, stored.at(-1)!.seq)).toPass({ timeout: 10_000 });
    await expect(page.getByTestId("event-feed").getByText(/^Summary: /)).toHaveCount(1);

    expect(await page.evaluate(() => window.__noReload), "the page was reloaded").toBe(true);
    expect(navigations, "the page navigated").toBe(0);
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
});
