// Journey: answer the manager in the browser, edit and approve the plan, and watch the cards on the live board.
// Runs against `npm start` with the scripted model (see playwright.config.ts).
import { expect, test } from "@playwright/test";
import { createRepository, createRun, makeSampleRepo } from "./helpers";

const RUNNER_TIMEOUT = 30_000;


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
    const question = page.getByTestId("open-question");
    await expect(question).toContainText("Should the greeting end with a full stop?", { timeout: RUNNER_TIMEOUT });
    await question.getByRole("textbox").fill("No full stop.");
    await page.getByRole("button", { name: "Send answers" }).click();

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
