// Journey: the owner shares a run; a second browser (no account) opens the link, watches the run update live
// and finds nothing that acts; after the owner revokes the link, its live stream stops and a reload is refused.
import { expect, test } from "@playwright/test";
import { createRepository, createRun, makeGitRepo } from "./helpers";

test("a share link shows one run live and read-only, until it is revoked", async ({ page, request, browser, baseURL }) => {
  test.setTimeout(90_000);
  const checkout = makeGitRepo();
  const repository = await createRepository(request, { path: checkout.path });
  const run = await createRun(request, repository.id, "Shared run\n\nWatched by someone without an account.");

  // The owner creates the link from the run page.
  await page.goto(`/runs/${run.id}`);
  await page.getByRole("button", { name: "Share" }).click();
  await page.getByRole("button", { name: "Create share link" }).click();
  const shareUrl = await page.getByTestId("share-url").inputValue();
  expect(shareUrl).toMatch(new RegExp(`^${baseURL}/s/fms_[A-Za-z0-9_-]{43}$`));

  // A second browser with no account opens it.
  const guest = await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} });
  const viewer = await guest.newPage();
  const opened = await viewer.goto(shareUrl);
  expect(opened?.status()).toBe(200);
  await expect(viewer).toHaveURL(`${baseURL}/runs/${run.id}`);
  await expect(viewer.getByTestId("run-title")).toHaveText("Shared run");
  await expect(viewer.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  await expect(viewer.getByText("Shared view · read-only")).toBeVisible();
  // Nothing that acts: no buttons, no forms, no links into the app's other pages.
  await expect(viewer.getByRole("button")).toHaveCount(0);
  await expect(viewer.locator("form")).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Runs" })).toHaveCount(0);

  // The owner's "Check now" reaches the guest's page live.
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(viewer.locator('li[data-type="heartbeat.completed"]')).toHaveCount(1, { timeout: 20_000 });
  await viewer.screenshot({ path: test.info().outputPath("shared-run.png"), fullPage: true });

  // The link reaches nothing else, and cannot act.
  expect((await viewer.request.get("/api/runs")).status()).toBe(403);
  expect((await viewer.request.post(`/api/runs/${run.id}/heartbeat`, { headers: { origin: baseURL! } })).status()).toBe(403);
  expect((await viewer.request.get(`/api/runs/${run.id}`)).status()).toBe(200);
  // Another run's snapshot, asked of the web server's own route right after a read that let the link in: refused.
  const other = await createRun(request, repository.id, "Another run\n\nNot shared.");
  const foreign = await viewer.request.get(`/api/runs/${other.id}`);
  expect(foreign.status()).toBe(403);
  expect(await foreign.text()).not.toContain("Another run");

  // Revocation: the open stream stops at once, and a reload is refused.
  await page.getByRole("button", { name: "Revoke" }).click();
  await expect(viewer.getByTestId("live-indicator")).toHaveAttribute("data-state", "refused", { timeout: 5_000 });
  await page.getByRole("button", { name: "Check now" }).click();
  await page.waitForTimeout(3_000);
  await expect(viewer.locator('li[data-type="heartbeat.completed"]')).toHaveCount(1);
  await viewer.reload();
  await expect(viewer).toHaveURL(/\/sign-in/);
  await expect(viewer.getByText("Shared run")).toHaveCount(0);
  expect((await viewer.request.get(`/api/runs/${run.id}`)).status()).toBe(401);
  expect((await guest.request.get(shareUrl, { maxRedirects: 0 })).status()).toBe(404);

  await guest.close();
  checkout.remove();
});
