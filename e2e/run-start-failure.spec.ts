// Journey: a run on a repository URL that cannot be cloned fails at once, and its page says what to fix
// (issue #13: it used to sit in `reviewing` for ever while pg-boss retried silently).
import { expect, test } from "@playwright/test";
import { uniqueName } from "./helpers";

test("a run on an unclonable repository URL ends failed within a minute, with the reason on its page", async ({ page, request }) => {
  test.setTimeout(90_000);
  const url = `file:///nonexistent/${uniqueName("unclonable")}.git`;
  const created = await request.post("/api/repositories", { data: { name: uniqueName("unclonable"), url } });
  expect(created.status()).toBe(201);
  const { repository } = (await created.json()) as { repository: { id: string } };
  const run = await request.post("/api/runs", { data: { repositoryId: repository.id, scope: "Anything.\n\n[scenario:manager-questions]" } });
  expect(run.status()).toBe(201);
  const { id } = (await run.json()) as { id: string };

  await page.goto(`/runs/${id}`);
  // The run's own clock: a minute from creation (the bound), waited on the page's live feed.
  await expect(page.locator('li[data-type="run.note"]').filter({ hasText: `could not clone ${url}` })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('li[data-type="run.status_changed"]').filter({ hasText: "reviewing → failed" })).toBeVisible();
  await expect(page.getByText("Check the URL").first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("unclonable-run.png"), fullPage: true });
  const snapshot = (await (await request.get(`/api/runs/${id}`)).json()) as { run: { status: string; statusReason: string | null } };
  expect(snapshot.run.status).toBe("failed");
});
