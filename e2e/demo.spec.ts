// Journey (issue #17, AC1): a newcomer finishes the loop in `npm run demo`. The demo's first run, left to its
// own script, completes with its summary; a scope the person types, a goal they edit and a new plan they ask
// for complete too (the scripted model improvises them: e2e/scripted-model/improvise.ts). The demo's sample
// repository has no repository-wide check, as scripts/demo.ts seeds it.
import { expect, type Page, test } from "@playwright/test";
import { createRepository, makeSampleRepo, uniqueName } from "./helpers";
import { DEMO_SCOPE } from "./scripted-model/sample-repo";

const RUNNER_TIMEOUT = 90_000;

const runStatus = (page: Page, status: string) => page.getByTestId("run-title").locator("xpath=..").getByText(status, { exact: true });

async function shot(page: Page, name: string) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}

/** No raw JSON object in what the page says (issue #17, AC3). */
async function expectNoJson(page: Page, where: string) {
  const text = await page.locator("main").innerText();
  expect(text, `${where} shows a JSON object`).not.toMatch(/\{\s*"[A-Za-z_]+"\s*:/);
}

test("the demo's first run, answered and approved untouched, completes with its summary", async ({ page, request }) => {
  test.setTimeout(300_000);
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path, name: uniqueName("demo-greeter") });
    const created = await request.post("/api/runs", { data: { repositoryId: repository.id, scope: DEMO_SCOPE } });
    expect(created.status(), await created.text()).toBe(201);
    const { url } = (await created.json()) as { url: string };
    await page.goto(url);

    const question = page.getByTestId("open-question");
    await expect(question).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await question.getByRole("textbox").fill("No full stop.");
    await page.getByRole("button", { name: "Send answers" }).click();
    await expect(page.getByTestId("plan-task")).toHaveCount(2, { timeout: RUNNER_TIMEOUT });
    await page.getByRole("button", { name: "Approve plan" }).click();

    await expect(runStatus(page, "completed")).toBeVisible({ timeout: 3 * RUNNER_TIMEOUT });
    await expect(page.getByTestId("run-progress")).toContainText("2 / 2 done");
    const summary = page.getByTestId("manager-panel").getByRole("heading", { name: "Run summary" }).locator("xpath=..");
    await expect(summary).toContainText("The greeting now says hello, world.");
    await expect(page.getByTestId("task-card").and(page.locator('[data-status="blocked"]'))).toHaveCount(0);
    await expectNoJson(page, "the completed demo run");
    await shot(page, "demo-completed");
  } finally {
    checkout.remove();
  }
});

test("in the demo, a person's own two-item scope, a new plan they ask for and a goal they edit complete too", async ({ page, request }) => {
  test.setTimeout(300_000);
  const checkout = makeSampleRepo();
  try {
    const repositoryName = uniqueName("demo-own");
    await createRepository(request, { path: checkout.path, name: repositoryName });
    await page.goto("/runs/new");
    await page.getByRole("combobox", { name: "Repository" }).selectOption({ label: repositoryName });
    const runForm = page.getByRole("form", { name: "New run" });
    await runForm.getByLabel("Scope").fill("# My own scope\n\n- Add a changelog\n- Document the test script\n");
    await runForm.getByRole("button", { name: "Start run" }).click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });

    // One task per item of the scope, said to be scripted.
    const planTasks = page.getByTestId("plan-task");
    await expect(planTasks).toHaveCount(2, { timeout: RUNNER_TIMEOUT });
    await expect(planTasks.first()).toContainText("Add a changelog");
    await expect(planTasks.first().getByLabel("Goal")).toHaveValue(/Scripted demo/);
    await shot(page, "demo-own-plan");

    // A new plan, asked for with a comment, is a different plan.
    const replan = page.getByRole("form", { name: "Ask for a new plan" });
    await replan.getByRole("textbox").fill("Also add a licence note");
    await replan.getByRole("button", { name: "Ask for a new plan" }).click();
    await expect(planTasks).toHaveCount(3, { timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("plan-task").and(page.locator('[data-key="T3"]'))).toContainText("Also add a licence note");

    // The person edits T2's goal; its worker follows the edited goal.
    const t2 = page.getByTestId("plan-task").and(page.locator('[data-key="T2"]'));
    await t2.getByLabel("Goal").fill("Explain in one line what sh test.sh checks");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("event-feed").getByText("Plan edited: 3 task(s)")).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await page.getByRole("button", { name: "Approve plan" }).click();

    await expect(runStatus(page, "completed")).toBeVisible({ timeout: 3 * RUNNER_TIMEOUT });
    await expect(page.getByTestId("run-progress")).toContainText("3 / 3 done");
    const summary = page.getByTestId("manager-panel").getByRole("heading", { name: "Run summary" }).locator("xpath=..");
    await expect(summary).toContainText("Scripted demo summary");
    await expectNoJson(page, "the completed run of a typed scope");
    await shot(page, "demo-own-completed");

    // The edited goal reached the worker: its real change says so.
    await page.getByTestId("task-card").and(page.locator('[data-key="T2"]')).getByRole("button").click();
    const drawer = page.getByTestId("task-drawer");
    await expect(drawer.getByTestId("worker-report")).toContainText("Explain in one line what sh test.sh checks", { timeout: 15_000 });
    await shot(page, "demo-own-drawer");
  } finally {
    checkout.remove();
  }
});
