// Journey: two workers hand off (one fixes the greeting but strays outside its scope, one claims a pass it never earned);
// the operator reads each task's diff and the worker's report against Foreman's verification in the drawer, acts on
// them, checks the heartbeat and worker timelines, and a share-link holder reads the same drawer without any action.
// Runs against `npm start` with the scripted model (real codex binary), see playwright.config.ts.
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { createRepository, createRun, makeSampleRepo } from "./helpers";

const RUNNER_TIMEOUT = 60_000;

test.use({ bypassCSP: true });

type Snapshot = { tasks: { id: string; key: string; status: string }[] };

async function taskIds(request: APIRequestContext, runId: string): Promise<Record<string, string>> {
  const snapshot = (await (await request.get(`/api/runs/${runId}`)).json()) as Snapshot;
  return Object.fromEntries(snapshot.tasks.map((task) => [task.key, task.id]));
}

const card = (page: Page, key: string) => page.getByTestId("task-card").and(page.locator(`[data-key="${key}"]`));

async function openDrawer(page: Page, key: string): Promise<Locator> {
  await card(page, key).getByRole("button").click();
  const drawer = page.getByTestId("task-drawer");
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole("heading", { level: 2 })).toBeVisible();
  // The detail (GET /api/tasks/:id) has arrived.
  await expect(drawer.getByTestId("report-comparison")).toBeVisible();
  return drawer;
}

/** The drawer is fixed to the viewport: its screenshots are of the viewport; pages are taken whole. */
async function shot(page: Page, name: string, fullPage = true) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}

test("the drawer shows each handoff's diff and where the worker's report and Foreman's verification disagree", async ({ page, request, browser, baseURL }) => {
  test.setTimeout(240_000);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const created = await request.post("/api/runs", {
      data: {
        repositoryId: repository.id,
        scope: "Drawer journey\n\nFix the greeting.\n\n[scenario:manager-review-board]",
        // No follow-up turns: the lying worker is blocked after its first report.
        settings: { autoApprovePlan: true, followUpCap: 0 },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const run = (await created.json()) as { id: string };

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await expect(card(page, "T1")).toHaveAttribute("data-status", "needs_review", { timeout: RUNNER_TIMEOUT });
    await expect(card(page, "T2")).toHaveAttribute("data-status", "blocked", { timeout: RUNNER_TIMEOUT });

    // Cards: Foreman's verdict as a badge; the blocked card says why; the live line keeps its height.
    await expect(card(page, "T1").getByTestId("verification-badge")).toHaveAttribute("data-verification", "passed");
    await expect(card(page, "T1").getByTestId("verification-badge")).toHaveText("verified");
    await expect(card(page, "T2").getByTestId("verification-badge")).toHaveAttribute("data-verification", "failed");
    await expect(card(page, "T2").getByTestId("hold-reason")).toContainText("Verification still fails");
    await expect(card(page, "T1").getByTestId("pull-request-badge")).toHaveCount(0);
    expect((await card(page, "T1").getByTestId("last-activity").boundingBox())?.height).toBe(16);
    await shot(page, "board-with-handoffs");

    // T1: the diff, file by file, with + and − lines; the out-of-scope file is called out.
    let drawer = await openDrawer(page, "T1");
    await expect(drawer.getByTestId("local-handoff")).toContainText("Local handoff (no GitHub repository)");
    const files = drawer.getByTestId("diff-file-list").getByRole("listitem");
    await expect(files).toHaveCount(2);
    await expect(files.filter({ hasText: "greeting.txt" })).toContainText("+1 −1");
    await expect(files.filter({ hasText: "docs/notes.md" })).toContainText("+1 −0");
    const greeting = drawer.getByTestId("diff-file").and(page.locator('[data-path="greeting.txt"]'));
    await expect(greeting.locator('[data-line="del"]')).toHaveText([/^1−hello$/]);
    await expect(greeting.locator('[data-line="add"]')).toHaveText([/^1\+hello, world$/]);
    // Folding a file hides its lines and keeps its header.
    await greeting.getByRole("button", { expanded: true }).click();
    await expect(greeting.locator('[data-line="add"]')).toHaveCount(0);
    await greeting.getByRole("button", { expanded: false }).click();
    await expect(greeting.locator('[data-line="add"]')).toHaveCount(1);
    await expect(drawer.getByTestId("file-comparison").locator('[data-path="docs/notes.md"]')).toContainText("outside the task's scope");
    await expect(drawer.getByTestId("foreman-verification").locator('[data-exit-code="0"]')).toContainText("$ sh test.sh");
    await expect(drawer.getByTestId("worker-report")).toContainText("Changed greeting.txt to say hello, world");
    // Side by side on a wide screen.
    const left = await drawer.getByTestId("worker-report").boundingBox();
    const right = await drawer.getByTestId("foreman-verification").boundingBox();
    expect(Math.abs(left!.y - right!.y)).toBeLessThan(2);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);

    // Accept and reject: the server's refusal reaches the operator as written (the route answers here, scripted).
    const sent: { url: string; body: unknown }[] = [];
    await page.route(/\/api\/tasks\/[^/]+\/(accept|reject)$/, async (route) => {
      sent.push({ url: route.request().url(), body: route.request().postDataJSON() });
      await route.fulfill({ status: 409, contentType: "application/json", body: JSON.stringify({ error: { code: "state_conflict", message: "Scripted refusal: the task moved on." } }) });
    });
    await drawer.getByRole("button", { name: "Accept" }).click();
    await expect(drawer.getByRole("alert")).toHaveText("Scripted refusal: the task moved on.");
    await drawer.getByRole("button", { name: "Reject…" }).click();
    const submitReject = drawer.getByRole("button", { name: "Reject", exact: true });
    await expect(submitReject).toBeDisabled();
    await drawer.getByLabel("Why? The worker gets this as its next instruction.").fill("  Keep docs/notes.md out of it.  ");
    await submitReject.click();
    await expect(drawer.getByRole("alert")).toHaveText("Scripted refusal: the task moved on.");
    expect(sent.map((call) => [new URL(call.url).pathname, call.body])).toEqual([
      [`/api/tasks/${(await taskIds(request, run.id)).T1}/accept`, {}],
      [`/api/tasks/${(await taskIds(request, run.id)).T1}/reject`, { reason: "Keep docs/notes.md out of it." }],
    ]);
    await page.unroute(/\/api\/tasks\/[^/]+\/(accept|reject)$/);
    await expect(drawer.getByRole("button", { name: "Retry" })).toHaveCount(0);
    expect(await seriousAxeViolations(page, "T1 drawer")).toEqual([]);
    await shot(page, "drawer-needs-review", false);
    await page.keyboard.press("Escape");
    await expect(drawer).toHaveCount(0);
    await expect(card(page, "T1").getByRole("button")).toBeFocused();

    // T2: the worker says its test passed and that it changed greeting.txt; Foreman saw neither.
    drawer = await openDrawer(page, "T2");
    const disagreements = drawer.getByTestId("disagreements");
    await expect(disagreements).toContainText("The worker says `sh test.sh` passed; Foreman ran it and saw exit 1.");
    await expect(disagreements).toContainText("Claimed as changed but unchanged on the branch: greeting.txt.");
    await expect(drawer.getByTestId("foreman-verification").locator('[data-agreement="disagree"]')).toContainText("exit 1");
    await expect(drawer.getByTestId("worker-report").locator('[data-agreement="disagree"]')).toContainText("claims passed");
    await drawer.getByTestId("foreman-verification").getByText("output", { exact: true }).click();
    await expect(drawer.getByTestId("foreman-verification")).toContainText("FAIL: greeting.txt should say 'hello, world'");
    await expect(drawer.getByTestId("changes")).toContainText("No changes on the branch.");
    // The worker's own command, folded to its output.
    const ls = drawer.getByTestId("activity-command").filter({ hasText: "-lc ls" }).first();
    await expect(ls).toContainText("exit 0");
    await expect(ls.locator("pre")).toBeHidden();
    await ls.locator("summary").click();
    await expect(ls.locator("pre")).toContainText("greeting.txt");
    await shot(page, "drawer-disagreement", false);

    // Retry: a second attempt, which the timeline draws as a second bar.
    await drawer.getByRole("button", { name: "Retry" }).click();
    await expect(drawer.getByRole("status").filter({ hasText: "A new attempt was started." })).toBeVisible();
    await expect(drawer.getByTestId("attempts").locator("tbody tr")).toHaveCount(2, { timeout: RUNNER_TIMEOUT });
    await page.keyboard.press("Escape");
    await expect(card(page, "T2")).toHaveAttribute("data-status", "blocked", { timeout: RUNNER_TIMEOUT });
    const bars = page.getByTestId("timeline-row").and(page.locator('[data-key="T2"]')).getByTestId("timeline-bar");
    await expect(bars).toHaveCount(2);
    await expect(bars.first()).toHaveAttribute("aria-label", /^T2 attempt 1: completed, from \+/);
    await expect(page.getByTestId("timeline-row").and(page.locator('[data-key="T1"]')).getByRole("img")).toHaveAttribute("aria-label", /^T1 attempt 1: completed/);
    await expect(page.getByTestId("worker-timeline-table").locator("tbody tr")).toHaveCount(3);

    // Check now: the heartbeat timeline shows what it saw, newest first, and folds open.
    await page.getByRole("button", { name: "Check now" }).click();
    const beat = page.getByTestId("heartbeat").and(page.locator('[data-trigger="manual"]')).first();
    await expect(beat).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(beat.locator("summary")).toContainText("1 needs review");
    await expect(beat.locator("summary")).toContainText("1 blocked");
    await expect(beat.locator("summary")).toContainText("waiting for you: a blocked or review task");
    await expect(beat.getByTestId("heartbeat-observations")).toBeHidden();
    await beat.locator("summary").click();
    await expect(beat.getByTestId("heartbeat-observations")).toContainText("Tasks by status");
    await expect(beat.getByTestId("heartbeat-observations")).toContainText("Blocked tasks");
    await expect(beat).toContainText("Nothing to do.");
    expect(await seriousAxeViolations(page, "run page with timelines")).toEqual([]);
    await shot(page, "run-page-timelines");

    // On a phone, in the dark: nothing but the scroll boxes is wider than the screen; the drawer stacks.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const timeline = page.getByTestId("worker-timeline");
    expect(await timeline.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await timeline.scrollIntoViewIfNeeded();
    await shot(page, "run-page-phone-dark", false);
    drawer = await openDrawer(page, "T1");
    const top = await drawer.getByTestId("worker-report").boundingBox();
    const below = await drawer.getByTestId("foreman-verification").boundingBox();
    expect(below!.y).toBeGreaterThanOrEqual(top!.y + top!.height);
    await shot(page, "drawer-phone-dark", false);
    await page.keyboard.press("Escape");

    // A share link reads its run's task details, and nothing acts; it cannot read another run's tasks.
    const ids = await taskIds(request, run.id);
    const shareResponse = await request.post(`/api/runs/${run.id}/share-links`);
    expect(shareResponse.status()).toBe(201);
    const shareUrl = ((await shareResponse.json()) as { url: string }).url;
    const guest = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} });
    try {
      const viewer = await guest.newPage();
      await viewer.goto(shareUrl);
      await expect(viewer).toHaveURL(`${baseURL}/runs/${run.id}`);
      const detail = await viewer.request.get(`/api/tasks/${ids.T1}`);
      expect(detail.status()).toBe(200);
      const body = (await detail.json()) as { diff: { raw: string; truncated: boolean }; verifications: { status: string }[] };
      expect(body.diff.raw).toContain("+hello, world");
      expect(body.diff.truncated).toBe(false);
      expect(body.verifications[0]!.status).toBe("passed");
      const guestDrawer = await openDrawer(viewer, "T1");
      await expect(guestDrawer.getByTestId("diff-file")).toHaveCount(2);
      await expect(guestDrawer.getByTestId("task-actions")).toHaveCount(0);
      await expect(guestDrawer.getByRole("button", { name: "Accept" })).toHaveCount(0);

      const other = await createRun(request, repository.id, "Another run\n\nIts share link must not open the first run's tasks.");
      const otherShare = ((await (await request.post(`/api/runs/${other.id}/share-links`)).json()) as { url: string }).url;
      const stranger = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} });
      try {
        const strangerPage = await stranger.newPage();
        await strangerPage.goto(otherShare);
        await expect(strangerPage).toHaveURL(`${baseURL}/runs/${other.id}`);
        expect((await strangerPage.request.get(`/api/tasks/${ids.T1}`)).status()).toBe(403);
      } finally {
        await stranger.close();
      }
    } finally {
      await guest.close();
    }
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
});
