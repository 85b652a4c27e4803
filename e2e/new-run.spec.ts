// Journey: the owner adds a repository from the new-run page, pastes a scope, starts the run and lands on its
// board; an oversize scope is refused in the browser before anything is sent.
import { expect, test } from "@playwright/test";
import { makeGitRepo, uniqueName } from "./helpers";

test("the owner adds a repository, pastes a scope and starts a run from the browser", async ({ page }) => {
  test.setTimeout(90_000);
  const checkout = makeGitRepo();
  const name = uniqueName("e2e-form-repo");
  const title = `Form run ${name}`;

  await page.goto("/");
  await page.getByRole("link", { name: "New run" }).first().click();
  await expect(page).toHaveURL(/\/runs\/new$/);

  // Add a repository through the owner's sub-form; it becomes the selected one.
  await page.getByRole("button", { name: "Add repository" }).click();
  const addForm = page.getByRole("form", { name: "Add repository" });
  await addForm.getByLabel("Name").fill(name);
  await addForm.getByLabel("Local path").fill(checkout.path);
  await addForm.getByRole("button", { name: "Save repository" }).click();
  await expect(page.getByRole("status")).toContainText(`Added ${name}`);
  await expect(page.getByLabel("Repository", { exact: true }).locator("option:checked")).toHaveText(name);

  // Paste the scope; the title placeholder follows its first line, and the defaults are in place.
  const runForm = page.getByRole("form", { name: "New run" });
  await runForm.getByLabel("Scope").fill(`# ${title}\n\n- Add a greeting to the README.\n\n[scenario:manager-questions]\n`);
  await expect(runForm.getByLabel("Title (optional)")).toHaveAttribute("placeholder", title);
  await expect(page.getByTestId("scope-size")).toContainText("of 200 KB");
  await expect(runForm.getByLabel("Concurrent workers")).toHaveValue("4");
  await expect(runForm.getByLabel("Auto-approve the plan")).not.toBeChecked();
  await page.screenshot({ path: test.info().outputPath("new-run.png"), fullPage: true });

  await runForm.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("run-title")).toHaveText(title);

  // The runs list links to it.
  await page.goto("/");
  await expect(page.locator(`a[href="/runs/${runId}"]`)).toContainText(title);
  await page.screenshot({ path: test.info().outputPath("runs-list.png"), fullPage: true });
  checkout.remove();
});

test("an oversize scope is refused in the browser before it is sent, on a phone-sized screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/runs/new");
  // Nothing on the page is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  let posted = false;
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/runs") posted = true;
  });
  const runForm = page.getByRole("form", { name: "New run" });
  await runForm.getByLabel("Scope").fill("x".repeat(201 * 1024));
  await expect(page.getByTestId("scope-size")).toHaveText("201.0 KB of 200 KB");
  await expect(runForm.getByRole("alert")).toContainText("over the 200 KB limit");
  await runForm.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/new$/);
  await expect(runForm.getByLabel("Scope")).toBeFocused();

  // Emptied, it says so on submit instead.
  await runForm.getByLabel("Scope").fill("   ");
  await runForm.getByRole("button", { name: "Start run" }).click();
  await expect(runForm.getByRole("alert")).toContainText("The scope is empty");
  expect(posted).toBe(false);
  await page.screenshot({ path: test.info().outputPath("new-run-phone.png"), fullPage: true });
});
