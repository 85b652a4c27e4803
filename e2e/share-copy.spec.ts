// Journey (issue #17): the owner copies a new share link with one press; the button says "Copied" and the
// clipboard holds the link. Where the browser refuses the clipboard, the link is selected for Ctrl+C instead
// and the page says so.
import { expect, test } from "@playwright/test";
import { createRepository, createRun, makeGitRepo } from "./helpers";

test("Copy puts a new share link on the clipboard, or selects it where the clipboard is refused", async ({ page, browser, request, baseURL }) => {
  const checkout = makeGitRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Copied share link");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await page.goto(`/runs/${run.id}`);
    await page.getByRole("button", { name: "Share" }).click();
    await page.getByRole("button", { name: "Create share link" }).click();
    const url = await page.getByTestId("share-url").inputValue();
    expect(url).toMatch(new RegExp(`^${baseURL}/s/fms_`));

    const copy = page.locator("#share-panel").getByRole("button", { name: "Copy" });
    await copy.click();
    await expect(page.locator("#share-panel").getByRole("button", { name: "Copied ✓" })).toBeVisible();
    await expect(page.locator("#share-panel")).toContainText("Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    // It offers to copy again after a moment.
    await expect(page.locator("#share-panel").getByRole("button", { name: "Copy", exact: true })).toBeVisible({ timeout: 10_000 });

    // A browser that refuses the clipboard: the link is selected, and the page says to press Ctrl+C.
    const refusing = await browser.newContext({ storageState: await page.context().storageState(), extraHTTPHeaders: { origin: baseURL! } });
    try {
      await refusing.addInitScript(() => {
        Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new DOMException("Write permission denied.", "NotAllowedError")) } });
      });
      const other = await refusing.newPage();
      await other.goto(`/runs/${run.id}`);
      await other.getByRole("button", { name: "Share" }).click();
      await other.getByRole("button", { name: "Create share link" }).click();
      const field = other.getByTestId("share-url");
      const value = await field.inputValue();
      await other.locator("#share-panel").getByRole("button", { name: "Copy" }).click();
      await expect(other.locator("#share-panel")).toContainText("Copying is blocked here; the text is selected, press Ctrl+C");
      await expect(field).toBeFocused();
      expect(await field.evaluate((input: HTMLInputElement) => [input.selectionStart, input.selectionEnd])).toEqual([0, value.length]);
    } finally {
      await refusing.close();
    }
  } finally {
    checkout.remove();
  }
});
