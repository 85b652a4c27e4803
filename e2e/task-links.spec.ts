// Journeys (issue #17): a task has a URL of its own (/runs/:id?task=T2) that opens its drawer and can be
// shared, and a key the run lacks says so; the board is worked from the keyboard (? lists the shortcuts,
// j/k move between cards, Enter opens one, Escape closes); the browser tab's icon carries the count of what
// waits for a person, and /favicon.ico exists.
import { type APIRequestContext, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { OWNER_STATE } from "./accounts";
import { seriousAxeViolations } from "./axe";
import { createRepository, createReviewBoardRun, createRun, type GitRepo, makeSampleRepo } from "./helpers";

test.describe.configure({ mode: "serial" });
test.use({ viewport: { width: 1280, height: 900 }, bypassCSP: true });

const card = (page: Page, key: string) => page.getByTestId("task-card").and(page.locator(`[data-key="${key}"]`));
const cardButton = (page: Page, key: string) => card(page, key).getByRole("button");

let owner: APIRequestContext;
let checkout: GitRepo;
let runId: string;
let repositoryId: string;

test.beforeAll(async ({ baseURL }, testInfo) => {
  testInfo.setTimeout(240_000);
  owner = await playwrightRequest.newContext({ baseURL, storageState: OWNER_STATE, extraHTTPHeaders: { origin: baseURL! } });
  checkout = makeSampleRepo();
  const repository = await createRepository(owner, { path: checkout.path });
  repositoryId = repository.id;
  runId = (await createReviewBoardRun(owner, repository.id, "Linked tasks")).id;
});

test.afterAll(async () => {
  await owner?.dispose();
  checkout?.remove();
});

test("a task's drawer has its own URL, kept as it opens and closes; an unknown key says so", async ({ page, browser, baseURL }) => {
  const runPath = `/runs/${runId}`;
  const drawer = page.getByTestId("task-drawer");

  // A link to T2 opens its drawer.
  await page.goto(`${runPath}?task=T2`);
  await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Claim the greeting is fixed");
  await expect(drawer).toContainText("T2");
  // Escape closes it, and the address no longer names the task.
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
  await expect(page).toHaveURL(`${baseURL}${runPath}`);

  // Opening a card puts its key in the address; that address opens the same drawer after a reload.
  await cardButton(page, "T1").click();
  await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Fix the greeting");
  await expect(page).toHaveURL(`${baseURL}${runPath}?task=T1`);
  await page.reload();
  await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Fix the greeting");
  await drawer.getByRole("button", { name: "Close task details" }).click();
  await expect(drawer).toHaveCount(0);
  await expect(page).toHaveURL(`${baseURL}${runPath}`);

  // A key the run does not have: a plain message, no drawer, and Dismiss clears the address.
  await page.goto(`${runPath}?task=T9`);
  const missing = page.getByTestId("missing-task");
  await expect(missing).toContainText("This run has no task “T9”");
  await expect(missing).toHaveAttribute("role", "alert");
  await expect(drawer).toHaveCount(0);
  await missing.getByRole("button", { name: "Dismiss" }).click();
  await expect(missing).toHaveCount(0);
  await expect(page).toHaveURL(`${baseURL}${runPath}`);

  // Someone signed out who follows the link comes back to the task after signing in.
  const guest = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
    const visitor = await guest.newPage();
    await visitor.goto(`${runPath}?task=T2`);
    await expect(visitor).toHaveURL(/\/sign-in\?/);
    expect(new URL(visitor.url()).searchParams.get("next")).toBe(`${runPath}?task=T2`);
  } finally {
    await guest.close();
  }
});

test("the board is worked from the keyboard: ? lists the shortcuts, j and k move, Enter opens, Escape closes", async ({ page, baseURL }) => {
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");

  // ? opens the list of shortcuts, which passes axe and closes on Escape.
  await page.keyboard.press("?");
  const help = page.getByTestId("shortcuts-help");
  await expect(help).toBeVisible();
  await expect(help.getByRole("heading", { name: "Keyboard shortcuts" })).toBeVisible();
  for (const line of ["Focus the next task card", "Focus the previous task card", "Open the focused card's details", "Close the details or this list", "Send the form you are typing in"]) {
    await expect(help).toContainText(line);
  }
  expect(await seriousAxeViolations(page, "run page with the shortcuts list")).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // j and k walk the cards in board order (Needs review before Blocked), and stop at the ends.
  await page.keyboard.press("j");
  await expect(cardButton(page, "T1")).toBeFocused();
  await page.keyboard.press("j");
  await expect(cardButton(page, "T2")).toBeFocused();
  await page.keyboard.press("j");
  await expect(cardButton(page, "T2")).toBeFocused();
  await page.keyboard.press("k");
  await expect(cardButton(page, "T1")).toBeFocused();

  // Enter opens the focused card; letters do nothing behind the open drawer; Escape closes it and focus returns.
  await page.keyboard.press("Enter");
  const drawer = page.getByTestId("task-drawer");
  await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Fix the greeting");
  await expect(page).toHaveURL(`${baseURL}/runs/${runId}?task=T1`);
  await page.keyboard.press("j");
  await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Fix the greeting");
  await expect(cardButton(page, "T2")).not.toBeFocused();
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);
  await expect(cardButton(page, "T1")).toBeFocused();
  expect(await seriousAxeViolations(page, "run page after keyboard use")).toEqual([]);
});

test("the tab's icon carries the needs-you count, and /favicon.ico is served", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  expect([...(await ico.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");

  // Two things wait for a person on this run (a blocked task, a task to review): the icon says 2.
  await page.goto(`/runs/${runId}`);
  const icons = page.locator('link[rel~="icon"]');
  await expect(icons.first()).toHaveAttribute("data-count", "2");
  for (const icon of await icons.all()) await expect(icon).toHaveAttribute("href", /^data:image\/png;base64,/);
  const badge = await page.evaluate(async () => {
    const image = new Image();
    image.src = document.querySelector<HTMLLinkElement>('link[rel~="icon"]')!.href;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    // The badge's red, in its lower right corner (away from the digit).
    const [r = 0, g = 0, b = 0] = context.getImageData(Math.round(image.width * 0.95), Math.round(image.height * 0.7), 1, 1).data;
    return { r, g, b };
  });
  expect(badge.r, "the badge is red").toBeGreaterThan(180);
  expect(badge.g + badge.b, "the badge is red").toBeLessThan(150);

  // Leaving the run (a client-side navigation) gives the plain icon back.
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(icons.first()).not.toHaveAttribute("data-count", /.*/);
  for (const icon of await icons.all()) await expect(icon).toHaveAttribute("href", /^\/(favicon\.ico|icon\.svg)/);
});

test("Ctrl+Enter sends the answer and the scope being typed; letters typed there are only text", async ({ page, request }) => {
  const run = await createRun(request, repositoryId, "Keyboard answers");
  await page.goto(`/runs/${run.id}`);
  const question = page.getByTestId("open-question");
  await expect(question).toContainText("Should the greeting end with a full stop?", { timeout: 90_000 });
  const answer = question.getByRole("textbox");

  // With nothing typed the Send button is disabled, and Ctrl+Enter sends nothing either.
  const answersSent: string[] = [];
  page.on("request", (sent) => {
    if (sent.method() === "POST" && sent.url().endsWith(`/api/runs/${run.id}/answers`)) answersSent.push(sent.postData() ?? "");
  });
  await answer.focus();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("button", { name: "Send answers" })).toBeDisabled();

  // j, k and ? are text in a field: no card moves, no dialog opens.
  await page.keyboard.type("No? jk");
  await expect(answer).toHaveValue("No? jk");
  await expect(page.getByTestId("shortcuts-help")).toBeHidden();
  await expect(answer).toBeFocused();
  expect(answersSent).toEqual([]);

  const sent = page.waitForResponse((response) => response.request().method() === "POST" && response.url().endsWith(`/api/runs/${run.id}/answers`));
  await page.keyboard.press("Control+Enter");
  expect((await sent).status()).toBe(200);
  expect(answersSent).toHaveLength(1);
  expect(JSON.parse(answersSent[0]!)).toEqual({ answers: [{ questionId: expect.any(String), text: "No? jk" }] });
  await expect(question).toHaveCount(0, { timeout: 15_000 });

  // The new-run form: Ctrl+Enter in the scope starts the run (⌘+Enter does the same on a Mac).
  await page.goto("/runs/new");
  const form = page.getByRole("form", { name: "New run" });
  await page.getByRole("combobox", { name: "Repository", exact: true }).selectOption(repositoryId);
  await form.getByLabel("Scope").fill("Keyboard scope\n\nStarted from the keyboard.\n\n[scenario:manager-questions]\n");
  await form.getByLabel("Scope").press("Control+Enter");
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  await expect(page.getByTestId("run-title")).toHaveText("Keyboard scope");
});
