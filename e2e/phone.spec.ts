// Journey (issue #17, AC5): Foreman on a 390×844 phone. The main screens (runs list, new run, a run's board
// with tasks, a task's drawer, API tokens, users, audit log, a share link's view, sign-in) never scroll
// sideways; the board shows one column at a time with a switcher that says each column's count; long
// sections fold away; tables become one block per row; light and dark both pass axe.
import { expect, type Page, test } from "@playwright/test";
import { seriousAxeViolations } from "./axe";
import { createRepository, createReviewBoardRun, makeSampleRepo } from "./helpers";

const PHONE = { width: 390, height: 844 };

test.use({ viewport: PHONE, bypassCSP: true });

const card = (page: Page, key: string) => page.getByTestId("task-card").and(page.locator(`[data-key="${key}"]`));
const switcherButton = (page: Page, column: string) => page.getByTestId("column-switcher").getByRole("button", { name: new RegExp(`^${column}\\s*\\d+$`) });

/** Nothing on the page is wider than the screen (boxes that scroll inside themselves are allowed). */
async function expectFits(page: Page, where: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${where}: the page scrolls sideways (${scrollWidth} px on a ${clientWidth} px screen)`).toBeLessThanOrEqual(clientWidth);
  const file = test.info().outputPath(`phone-${where.replace(/\W+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(`${where} (phone)`, { path: file, contentType: "image/png" });
}

test("every main screen fits a phone, and the board shows one column at a time", async ({ page, request, browser }) => {
  test.setTimeout(300_000);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createReviewBoardRun(request, repository.id, "Phone board");

    await page.goto("/");
    await expect(page.getByTestId("runs-list")).toBeVisible();
    await expectFits(page, "runs list");

    await page.goto("/runs/new");
    await expect(page.getByRole("form", { name: "New run" })).toBeVisible();
    await expectFits(page, "new run");

    // The board: one column at a time; the switcher counts every column and starts where a person is needed.
    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    const board = page.getByTestId("board");
    const visibleColumns = board.locator("section[data-column]:visible");
    await expect(visibleColumns).toHaveCount(1);
    await expect(visibleColumns).toHaveAttribute("data-column", "Needs review");
    await expect(switcherButton(page, "Needs review")).toHaveAttribute("aria-pressed", "true");
    for (const [column, count] of [["Waiting", 0], ["Running", 0], ["Verifying", 0], ["Needs review", 1], ["Blocked", 1], ["Done", 0]] as const) {
      await expect(switcherButton(page, column), `the ${column} button's count`).toContainText(String(count));
    }
    await expect(card(page, "T1")).toBeVisible();
    await expect(card(page, "T2")).toBeHidden();
    await switcherButton(page, "Blocked").click();
    await expect(visibleColumns).toHaveCount(1);
    await expect(visibleColumns).toHaveAttribute("data-column", "Blocked");
    await expect(switcherButton(page, "Blocked")).toHaveAttribute("aria-pressed", "true");
    await expect(switcherButton(page, "Needs review")).toHaveAttribute("aria-pressed", "false");
    await expect(card(page, "T2")).toBeVisible();
    await expect(card(page, "T1")).toBeHidden();
    await switcherButton(page, "Done").click();
    await expect(board.getByRole("list", { name: /^Done:/ }).getByTestId("task-card")).toHaveCount(0);
    expect(await board.evaluate((element) => element.scrollWidth <= element.clientWidth), "the board itself fits the phone").toBe(true);

    // Long sections fold: Activity and Heartbeats are one line each until opened.
    const activity = page.locator("summary").filter({ hasText: /^Activity \(\d+ events\)$/ });
    await expect(activity).toBeVisible();
    await expect(page.getByTestId("event-feed")).toBeHidden();
    await expect(page.locator("summary").filter({ hasText: /^Heartbeats \(\d+\)$/ })).toBeVisible();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    test.info().annotations.push({ type: "run page height on a phone", description: `${height} px` });
    expect(height, "the run page stays a few screens tall").toBeLessThan(PHONE.height * 4);
    await expectFits(page, "run board");
    await activity.click();
    await expect(page.getByTestId("event-feed")).toBeVisible();
    await expectFits(page, "run board with activity open");
    await activity.click();

    // The drawer, with its attempts table reflowed into blocks.
    await switcherButton(page, "Blocked").click();
    await card(page, "T2").getByRole("button").click();
    const drawer = page.getByTestId("task-drawer");
    await expect(drawer.getByTestId("report-comparison")).toBeVisible({ timeout: 15_000 });
    const attempts = drawer.getByTestId("attempts");
    await expect(attempts).toBeVisible();
    expect(await attempts.locator("tbody tr").first().evaluate((row) => getComputedStyle(row).display)).toBe("block");
    expect(await attempts.evaluate((table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth), "the attempts table fits").toBe(true);
    expect(await drawer.evaluate((element) => element.scrollWidth <= element.clientWidth), "the drawer fits").toBe(true);
    await expectFits(page, "task drawer");
    await page.keyboard.press("Escape");
    await expect(drawer).toHaveCount(0);

    // Light and dark both read well (axe: contrast, names, roles).
    expect(await seriousAxeViolations(page, "run page, light")).toEqual([]);
    const bodyColors = () => page.evaluate(() => `${getComputedStyle(document.body).backgroundColor} / ${getComputedStyle(document.body).color}`);
    const light = await bodyColors();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    expect(await bodyColors(), "the page follows the dark scheme").not.toBe(light);
    expect(await seriousAxeViolations(page, "run page, dark")).toEqual([]);
    await expectFits(page, "run board dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Settings and owner pages: tables become one block per row.
    await page.request.post("/api/tokens", { data: { name: "phone check" } });
    await page.goto("/settings/tokens");
    await expect(page.getByTestId("api-token-row").first()).toBeVisible();
    await expectFits(page, "API tokens");
    await page.goto("/settings/users");
    const userRow = page.getByTestId("user-row").first();
    await expect(userRow).toBeVisible();
    expect(await userRow.evaluate((row) => getComputedStyle(row).display)).toBe("block");
    await expect(userRow.locator('td[data-label="Email"]')).toBeVisible();
    expect(await page.locator("table").first().evaluate((table) => table.parentElement!.scrollWidth <= table.parentElement!.clientWidth), "the users table fits").toBe(true);
    await expectFits(page, "users");
    await page.goto("/audit");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await expectFits(page, "audit log");

    // A share link's holder, and a signed-out visitor, on their phones.
    const shared = await request.post(`/api/runs/${run.id}/share-links`);
    expect(shared.status()).toBe(201);
    const guest = await browser.newContext({ storageState: { cookies: [], origins: [] }, viewport: PHONE, bypassCSP: true });
    try {
      const viewer = await guest.newPage();
      await viewer.goto(((await shared.json()) as { url: string }).url);
      await expect(viewer.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
      await expect(viewer.getByTestId("board").locator("section[data-column]:visible")).toHaveCount(1);
      await expectFits(viewer, "share view");
      await viewer.context().clearCookies();
      await viewer.goto("/sign-in");
      await expect(viewer.getByRole("form", { name: "Sign in" })).toBeVisible();
      await expectFits(viewer, "sign-in");
    } finally {
      await guest.close();
    }
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
});
