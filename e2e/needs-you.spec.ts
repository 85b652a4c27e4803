// Journey (issue #17, AC4 and AC3): trouble is visible at a glance, in sentences. A run whose worker is blocked
// (and whose other task waits for review) says "needs you" with its count on the runs list, in the run's header
// and in the browser tab's title; the operator pauses and resumes it. Then the main screens (runs list, run page,
// a task's drawer, the audit log) are read as a person reads them: no JSON object and no user id in their text.
import { expect, type Page, test } from "@playwright/test";
import { OWNER } from "./accounts";
import { createRepository, makeSampleRepo } from "./helpers";

const RUNNER_TIMEOUT = 90_000;

const card = (page: Page, key: string) => page.getByTestId("task-card").and(page.locator(`[data-key="${key}"]`));

async function shot(page: Page, name: string) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}

/** What a person reads on the page (closed "details" toggles hold the raw data and are not read). */
async function expectSentences(page: Page, where: string, userIds: string[]) {
  const text = await page.locator("main").innerText();
  expect(text, `${where} shows a JSON object`).not.toMatch(/\{\s*"[A-Za-z_]+"\s*:/);
  for (const id of userIds) expect(text, `${where} shows a user's id`).not.toContain(id);
  expect(text, `${where} says "by user"`).not.toMatch(/by user [A-Za-z0-9_-]{8,}/);
}

test("a run with a blocked task says it needs you in the list, the header and the tab title, in sentences", async ({ page, request }) => {
  test.setTimeout(300_000);
  const checkout = makeSampleRepo();
  try {
    const users = ((await (await request.get("/api/users")).json()) as { users: { id: string; email: string }[] }).users;
    const userIds = users.map((user) => user.id);
    expect(users.map((user) => user.email)).toContain(OWNER.email);

    const repository = await createRepository(request, { path: checkout.path });
    const created = await request.post("/api/runs", {
      data: {
        repositoryId: repository.id,
        title: "Needs you at a glance",
        scope: "Fix the greeting.\n\n[scenario:manager-review-board]",
        // No follow-up turns: the lying worker (T2) is blocked after its first report; T1 waits for review.
        settings: { autoApprovePlan: true, followUpCap: 0 },
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const run = (await created.json()) as { id: string };

    await page.goto(`/runs/${run.id}`);
    await expect(card(page, "T2")).toHaveAttribute("data-status", "blocked", { timeout: RUNNER_TIMEOUT });
    await expect(card(page, "T1")).toHaveAttribute("data-status", "needs_review", { timeout: RUNNER_TIMEOUT });

    // The run page: the header says it needs you, how often and why; so does the tab.
    const header = page.getByTestId("run-title").locator("xpath=..");
    const needs = header.getByTestId("needs-you");
    await expect(needs).toHaveAttribute("data-count", "2");
    await expect(needs).toHaveAttribute("data-tone", "urgent");
    await expect(needs).toContainText("needs you · 2");
    await expect(needs).toContainText("1 blocked task, 1 task to review");
    await expect(header.getByText("running", { exact: true })).toBeVisible();
    await expect(page).toHaveTitle(/^\(2\) Needs you at a glance/);
    await shot(page, "run-needs-you");

    // Pause and resume: Activity names the person, never their id.
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(header.getByText("paused", { exact: true })).toBeVisible({ timeout: 15_000 });
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(header.getByText("running", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("event-feed").getByText(`paused by ${OWNER.name}`)).toBeVisible({ timeout: 15_000 });
    // Raw data is one click away.
    const rawToggle = page.getByTestId("event-feed").getByTestId("raw-details").first();
    await rawToggle.locator("summary").click();
    await expect(rawToggle.locator("pre")).toContainText('"title": "Needs you at a glance"');
    await rawToggle.locator("summary").click();
    await expectSentences(page, "the run page", userIds);

    // The blocked task's drawer: its reason, its attempts and its activity are sentences.
    await card(page, "T2").getByRole("button").click();
    const drawer = page.getByTestId("task-drawer");
    await expect(drawer.getByTestId("report-comparison")).toBeVisible({ timeout: 15_000 });
    await expectSentences(page, "the blocked task's drawer", userIds);
    await shot(page, "drawer-blocked");
    await drawer.getByRole("button", { name: "Close task details" }).click();

    // The runs list: the same count, not a green "running".
    await page.goto("/");
    const row = page.locator(`a[href="/runs/${run.id}"]`);
    await expect(row.getByTestId("needs-you")).toHaveAttribute("data-count", "2");
    await expect(row).toContainText("Waiting for you: 1 blocked task, 1 task to review");
    await expect(page).toHaveTitle(/^\(\d+\) Runs/);
    await expectSentences(page, "the runs list", userIds);
    await shot(page, "runs-needs-you");

    // The audit log names the run and the person.
    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Needs you at a glance" }).first()).toBeVisible();
    await expectSentences(page, "the audit log", userIds);
    await shot(page, "audit");
  } finally {
    checkout.remove();
  }
});
