// Journey (issue #15, "the human hears about it"): a person adds a signed webhook on the Notifications page, the
// real runner delivers a run's question and a test message to a local receiver, the delivery log says how it went in
// sentences, and the webhook is deleted. On an open run page, "Notify me" raises a browser notification for the
// run's next moment while the tab is in the background, and shows nothing but a note when the browser says no.
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { verifyWebhook } from "../lib/notifications/sign-webhook";
import { type Received, startWebhookReceiver } from "../tests/support/webhook-receiver";
import { OWNER_STATE } from "./accounts";
import { createRepository, createRun, makeSampleRepo, uniqueName } from "./helpers";

const RUNNER_TIMEOUT = 90_000;

async function shot(page: Page, name: string) {
  const file = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}

test("a signed webhook is added, hears a run's question and a test message, and the log says so in sentences", async ({ page, request }) => {
  test.setTimeout(180_000);
  const receiver = await startWebhookReceiver({ "/foreman": () => ({ status: 204 }) });
  const receiverUrl = `${receiver.base}/foreman`;
  const checkout = makeSampleRepo();
  try {
    const name = uniqueName("Team receiver");
    await page.goto("/settings/notifications");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Kind").selectOption("json");
    await page.getByLabel("URL").fill(receiverUrl);
    await expect(page.getByLabel("A question needs an answer")).toBeChecked();
    await page.getByRole("button", { name: "Add webhook" }).click();
    const secret = await page.getByTestId("new-webhook-secret").inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const row = page.getByTestId("webhook-row").filter({ hasText: name });
    await expect(row).toContainText("Signed JSON to http://127.0.0.1:");
    await expect(row).not.toContainText("/foreman");

    // A run whose review asks a question: the runner sends it, signed.
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Fix the greeting.");
    const signed = (entry: Received) =>
      verifyWebhook(secret, { signature: String(entry.headers["x-foreman-signature"]), timestamp: String(entry.headers["x-foreman-timestamp"]), body: entry.body }).ok;
    await expect.poll(() => receiver.received.filter((entry) => signed(entry) && entry.body.includes(run.id)).map((entry) => JSON.parse(entry.body).moment), { timeout: RUNNER_TIMEOUT }).toContain("needs_input");

    await row.getByRole("button", { name: `Send a test message to ${name}` }).click();
    await expect(row.getByText("Test message queued")).toBeVisible();
    await expect.poll(() => receiver.received.filter((entry) => signed(entry) && JSON.parse(entry.body).moment === "test").length, { timeout: 30_000 }).toBe(1);

    await expect
      .poll(async () => {
        await page.reload();
        return page.getByTestId("delivery-row").filter({ hasText: "this webhook works" }).innerText();
      }, { timeout: 30_000 })
      .toContain(`Delivered to “${name}”.`);
    const question = page.getByTestId("delivery-row").filter({ hasText: "needs your answer: Should the greeting end with a full stop?" });
    await expect(question).toContainText(`Delivered to “${name}”.`);
    await expect(question).toContainText(/Try 1: the receiver answered 204 after \d+ ms\./);
    await shot(page, "notifications-page");

    await page.getByRole("button", { name: `Delete webhook ${name}` }).click();
    await expect(page.getByTestId("webhook-row").filter({ hasText: name })).toHaveCount(0);
    const audit = (await (await request.get("/api/audit")).json()) as { entries: { action: string }[] };
    for (const action of ["webhook.create", "webhook.test", "webhook.delete"]) expect(audit.entries.map((entry) => entry.action)).toContain(action);
  } finally {
    await receiver.close();
    checkout.remove();
  }
});

/** Counts the notifications the page raises, with the tab in the background. */
const RECORD_NOTIFICATIONS = () => {
  const Real = window.Notification;
  const shown: { title: string; body: string | undefined }[] = [];
  (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
  class Recording extends Real {
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
      super(title, options);
    }
  }
  Object.defineProperty(Recording, "permission", { get: () => Real.permission });
  Object.defineProperty(Recording, "requestPermission", { value: (...args: Parameters<typeof Real.requestPermission>) => Real.requestPermission(...args) });
  window.Notification = Recording as typeof Notification;
  Object.defineProperty(Document.prototype, "visibilityState", { get: () => "hidden" });
};

test("Notify me shows the run's next moment while the tab is hidden, and nothing when the browser refuses", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const checkout = makeSampleRepo();
  try {
    const repository = await createRepository(request, { path: checkout.path });
    const run = await createRun(request, repository.id, "Fix the greeting.");
    const owner = { storageState: OWNER_STATE, extraHTTPHeaders: { origin: baseURL! } };

    // The browser refuses: a note, no notification, no asking again.
    const refused = await browser.newContext(owner);
    const refusedPage = await refused.newPage();
    await refusedPage.goto(`/runs/${run.id}`);
    await refusedPage.getByRole("button", { name: "Notify me" }).click();
    await expect(refusedPage.getByTestId("notify-state")).toHaveText("Notifications are blocked in this browser.");

    // Allowed: the question the review asks raises one, with the run's title and the question in words.
    const allowed = await browser.newContext(owner);
    await allowed.grantPermissions(["notifications"], { origin: baseURL });
    await allowed.addInitScript(RECORD_NOTIFICATIONS);
    const page = await allowed.newPage();
    await page.goto(`/runs/${run.id}`);
    await expect(page.getByTestId("notify-state")).toHaveText("Notifications on · turn off");
    await expect(page.getByText("Should the greeting end with a full stop?").first()).toBeVisible({ timeout: RUNNER_TIMEOUT });
    const answered = await request.post(`/api/runs/${run.id}/answers`, {
      data: { answers: [{ questionId: await firstQuestionId(request, run.id), text: "No full stop." }] },
    });
    expect(answered.status(), await answered.text()).toBe(200);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body?: string }[] }).shownNotifications), { timeout: RUNNER_TIMEOUT })
      .toContainEqual({ title: "Foreman: Something waits for approval", body: expect.stringContaining("waits for your approval: the plan is ready for a decision.") });
    expect((await refusedPage.evaluate(() => Notification.permission))).toBe("denied");
    await allowed.close();
    await refused.close();
  } finally {
    checkout.remove();
  }
});

async function firstQuestionId(request: APIRequestContext, runId: string): Promise<string> {
  const snapshot = (await (await request.get(`/api/runs/${runId}`)).json()) as { questions: { id: string; status: string }[] };
  return snapshot.questions.find((question) => question.status === "open")!.id;
}
