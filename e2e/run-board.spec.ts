// Journey: answer the manager in the browser, edit and approve the plan, and watch the cards on the live board.
// Runs against `npm start` with the scripted model (see playwright.config.ts).
import { expect, type Page, test } from "@playwright/test";
import { createRepository, createRun, makeSampleRepo } from "./helpers";

const RUNNER_TIMEOUT = 30_000;

/** The scripted manager's one question, answered in the browser. */
async function answerTheQuestion(page: Page) {
  const question = page.getByTestId("open-question");
  await expect(question).toContainText("Should the greeting end with a full stop?", { timeout: RUNNER_TIMEOUT });
  await question.getByRole("textbox").fill("No full stop.");
  await page.getByRole("button", { name: "Send answers" }).click();
}


test("the operator answers, edits and approves the plan, and cards move across the board live", async ({ page, request }) => {
  test.setTimeout(150_000);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Board journey\n\nMake the greeting say hello, world.");
    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await expect(page.getByRole("list", { name: /^Waiting:/ })).toBeVisible();

    // The manager's question, answered in the browser; no reload from here on.
    await answerTheQuestion(page);

    // The plan arrives live; edit T2's goal and approve.
    const t2 = page.getByTestId("plan-task").and(page.locator('[data-key="T2"]'));
    await expect(t2).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("dependencies")).toContainText("T2 after T1");
    await t2.getByLabel("Goal").fill("Mention the greeting in README.md, briefly.");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("event-feed").getByText("Plan edited: 2 task(s)")).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("manager-panel").getByRole("alert")).toHaveCount(0);
    await page.getByRole("button", { name: "Approve plan" }).click();
    await expect(page.getByTestId("event-feed").getByText("Plan approved", { exact: true })).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("plan-task")).toHaveCount(0);

    // Cards appear and T1 moves forward without a reload.
    const t1Card = page.getByTestId("task-card").and(page.locator('[data-key="T1"]'));
    await expect(t1Card).toBeVisible({ timeout: RUNNER_TIMEOUT });
    // The header counts down to the run's next scheduled heartbeat.
    await expect(page.getByTestId("heartbeat-countdown")).toContainText(/next heartbeat (in \d+ (min|s)|due now)/, { timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("task-card")).toHaveCount(2);
    await expect(t1Card).not.toHaveAttribute("data-status", "waiting", { timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("task-card").and(page.locator('[data-key="T2"]'))).toContainText("T2");

    // The drawer: opens on click, shows the task, closes on Escape with focus back on the card.
    await t1Card.getByRole("button").click();
    const drawer = page.getByRole("dialog");
    await expect(drawer).toBeVisible();
    await expect(drawer).toContainText("Definition of done");
    await expect(drawer).toContainText("sh test.sh");
    await page.keyboard.press("Escape");
    await expect(drawer).toHaveCount(0);
    await expect(t1Card.getByRole("button")).toBeFocused();

    const screenshot = test.info().outputPath("run-board.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    await test.info().attach("run board", { path: screenshot, contentType: "image/png" });
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
});

test("edits nobody saved are approved with the plan, and a task the operator adds joins the board", async ({ page, request }) => {
  test.setTimeout(150_000);
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Board journey\n\nMake the greeting say hello, world.");
    await page.goto(`/runs/${run.id}`);
    await answerTheQuestion(page);

    // An edit, not saved, and a new task; the approve button says it saves them.
    const t2 = page.getByTestId("plan-task").and(page.locator('[data-key="T2"]'));
    await expect(t2).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await t2.getByLabel("Goal").fill("Mention the greeting in README.md. UNSAVED-EDIT.");
    await page.getByRole("button", { name: "Add a task" }).click();
    const t3 = page.getByTestId("plan-task").and(page.locator('[data-key="T3"]'));
    await t3.getByLabel("Title").fill("Note the change in CHANGELOG.md");
    await t3.getByLabel("Goal").fill("Add a line to CHANGELOG.md saying the greeting changed.");
    await t3.getByLabel(/^Scope/).fill("CHANGELOG.md");
    await t3.getByLabel(/^Definition of done/).fill("CHANGELOG.md mentions the greeting");
    await t3.getByLabel(/^Verification commands/).fill("grep -q greeting CHANGELOG.md");
    await t3.getByLabel(/^Depends on/).fill("T1");
    await expect(page.getByTestId("plan-unsaved")).toBeVisible();
    await page.getByRole("button", { name: "Save and approve plan" }).click();
    await expect(page.getByTestId("event-feed").getByText("Plan approved", { exact: true })).toBeVisible({ timeout: RUNNER_TIMEOUT });

    // Both reached the board: three cards, T3 with its title, T2 with the edit nobody saved by hand.
    await expect(page.getByTestId("task-card")).toHaveCount(3, { timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("task-card").and(page.locator('[data-key="T3"]'))).toContainText("Note the change in CHANGELOG.md");
    await page.getByTestId("task-card").and(page.locator('[data-key="T2"]')).getByRole("button").click();
    await expect(page.getByRole("dialog")).toContainText("UNSAVED-EDIT");
  } finally {
    checkout.remove();
  }
});
