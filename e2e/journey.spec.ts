// Journey (issue #6, AC1 and AC2): the whole loop in the browser, once on a desktop and once on a 390×844 phone.
// Sign in → add a repository → paste a scope → answer the manager → edit and approve the plan → cards move
// Waiting → Running → Verifying → Done live → pause and resume → read a card's diff and report → accept the
// ui task (merged into main) → the run completes with the manager's summary. Every step is a click or a key
// press in the page; the API is only read, to explain a failure.
// Runs against `npm start` with the scripted model playing manager and workers for the real codex binary
// (e2e/scripted-model/scenarios/journey.ts); see playwright.config.ts.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { type APIRequestContext, expect, type Locator, type Page, test } from "@playwright/test";
import { OWNER } from "./accounts";
import { makeSampleRepo, uniqueName } from "./helpers";
import { JOURNEY_QUESTION, JOURNEY_README_LINE, JOURNEY_VERIFY_COMMAND } from "./scripted-model/scenarios/journey";

const RUNNER_TIMEOUT = 60_000;
const PHONE = { width: 390, height: 844 };

declare global {
  interface Window {
    /** Every data-status each card showed, in order (recorded in the page by a MutationObserver). */
    __cardStatuses?: Record<string, string[]>;
  }
}

// Each journey starts signed out: the owner signs in through the form.
test.use({ storageState: { cookies: [], origins: [] } });

type Snapshot = {
  run: { status: string; summary: string | null };
  tasks: { key: string; status: string; holdReason: string | null; lastActivity: string | null }[];
};

/** The server's view of the run, for failure messages only. */
async function serverState(request: APIRequestContext, runId: string | null): Promise<string> {
  if (!runId) return "(no run yet)";
  try {
    const response = await request.get(`/api/runs/${runId}`);
    if (!response.ok()) return `GET /api/runs/${runId} answered ${response.status()}`;
    const { run, tasks } = (await response.json()) as Snapshot;
    const lines = tasks.map((task) => `  ${task.key}: ${task.status}${task.holdReason ? ` (${task.holdReason})` : ""} · ${task.lastActivity ?? "no activity"}`);
    return [`run: ${run.status}`, ...lines].join("\n");
  } catch (error) {
    return `could not read the run: ${String(error)}`;
  }
}

const card = (page: Page, key: string) => page.getByTestId("task-card").and(page.locator(`[data-key="${key}"]`));
const column = (page: Page, name: string) => page.getByRole("list", { name: new RegExp(`^${name}:`) });

class Journey {
  runId: string | null = null;
  private shots = 0;

  constructor(
    readonly page: Page,
    readonly device: "desktop" | "phone",
  ) {}

  /** Waits for something the runner causes; a timeout says where the server thinks the run is. */
  async eventually(what: string, assertion: () => Promise<void>) {
    try {
      await assertion();
    } catch (error) {
      const state = await serverState(this.page.request, this.runId);
      throw new Error(`${what} did not happen on the ${this.device}.\nServer state:\n${state}\n\n${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Brings a control into view and checks that it is really there to be used: visible, on screen, and
   * within the viewport's width (on a phone, nothing is only reachable by scrolling the page sideways).
   */
  async reach(target: Locator, name: string): Promise<Locator> {
    await expect(target, `${name} is visible`).toBeVisible();
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    const viewport = this.page.viewportSize()!;
    expect(box, `${name} has a box`).not.toBeNull();
    expect(box!.x, `${name} starts inside the viewport (x)`).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${name} ends inside the viewport width`).toBeLessThanOrEqual(viewport.width + 0.5);
    // Vertically it only has to be on screen: a tall box (a report, a diff) is read by scrolling.
    expect(box!.y, `${name} starts above the viewport's bottom`).toBeLessThan(viewport.height);
    expect(box!.y + box!.height, `${name} ends below the viewport's top`).toBeGreaterThan(0);
    return target;
  }

  async tap(target: Locator, name: string) {
    await this.reach(target, name);
    await expect(target, `${name} is enabled`).toBeEnabled();
    await target.click();
  }

  async fill(target: Locator, name: string, value: string) {
    await this.reach(target, name);
    await target.fill(value);
  }

  /** A board column's card list; on a phone the board shows one column at a time, picked with its switcher first. */
  async column(name: string): Promise<Locator> {
    if (this.device === "phone") {
      await this.tap(this.page.getByTestId("column-switcher").getByRole("button", { name: new RegExp(`^${name}\\s*\\d+$`) }), `the ${name} column button`);
    }
    return column(this.page, name);
  }

  /** The page itself never scrolls sideways; only the board's (and other boxes') own scrollers do. */
  async expectNoSidewaysPage(where: string) {
    const { scrollWidth, innerWidth } = await this.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    expect(scrollWidth, `${where}: the page is wider than the screen`).toBeLessThanOrEqual(innerWidth);
  }

  async shot(name: string, fullPage = true) {
    this.shots += 1;
    const file = test.info().outputPath(`${String(this.shots).padStart(2, "0")}-${name}-${this.device}.png`);
    await this.page.screenshot({ path: file, fullPage });
    await test.info().attach(`${name} (${this.device})`, { path: file, contentType: "image/png" });
  }
}

/** Records every status each card shows, from inside the page, so a state that lasts only seconds is not missed. */
async function recordCardStatuses(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    window.__cardStatuses = seen;
    const scan = () => {
      for (const element of document.querySelectorAll<HTMLElement>('[data-testid="task-card"]')) {
        const key = element.dataset.key!;
        const status = element.dataset.status!;
        const list = (seen[key] ??= []);
        if (list.at(-1) !== status) list.push(status);
      }
    };
    new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
    scan();
  });
}

const RANK: Record<string, number> = { waiting: 0, ready: 1, running: 2, verifying: 3, needs_review: 4, blocked: 4, done: 5, failed: 5, cancelled: 5 };

/** `expected` occurs in `seen` in order (other statuses may come between), and `seen` never goes back. */
function expectForwardThrough(key: string, seen: string[] | undefined, expected: string[]) {
  expect(seen, `${key} was never seen on the board`).toBeDefined();
  let at = 0;
  for (const status of seen!) if (status === expected[at]) at += 1;
  expect(at === expected.length, `${key} showed ${seen!.join(" → ")}; expected it to pass through ${expected.join(" → ")}`).toBe(true);
  for (let index = 1; index < seen!.length; index += 1) {
    expect(RANK[seen![index]!]!, `${key} moved backwards: ${seen!.join(" → ")}`).toBeGreaterThanOrEqual(RANK[seen![index - 1]!]!);
  }
}

/**
 * Submits the sign-in form. Sign-in is rate-limited per address (5 a minute) and every browser test signs in
 * from 127.0.0.1: when earlier specs of the same test run used the minute up, the form says so, and the owner
 * waits as long as the server asks and tries again, as a person would.
 */
async function signInThroughTheForm(journey: Journey, form: Locator) {
  const { page } = journey;
  for (let attempt = 1; ; attempt += 1) {
    const answered = page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/api/auth/sign-in/email");
    await journey.tap(form.getByRole("button", { name: "Sign in" }), "the sign-in button");
    const response = await answered;
    if (response.status() !== 429 || attempt === 3) {
      expect(response.status(), `sign-in answered ${response.status()}: ${await response.text()}`).toBe(200);
      return;
    }
    await expect(form.getByRole("alert")).toHaveText(/^Too many attempts\. Try again in \d+ (second|minute)s?\.$/);
    const seconds = Number(response.headers()["x-retry-after"] ?? 60);
    test.info().annotations.push({ type: "sign-in rate limit", description: `waited ${seconds} s for the next sign-in attempt` });
    await page.waitForTimeout((Math.min(Math.max(seconds, 1), 60) + 1) * 1000);
  }
}

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" });
}

async function theWholeLoop(page: Page, device: "desktop" | "phone") {
  // Up to a minute of it may be the sign-in rate limit (see signInThroughTheForm).
  test.setTimeout(300_000);
  const journey = new Journey(page, device);
  const pageErrors: Error[] = [];
  page.on("pageerror", (error) => pageErrors.push(error));
  const checkout = makeSampleRepo();
  const repositoryName = uniqueName(`journey-${device}`);
  const title = `Journey on the ${device} ${repositoryName}`;
  try {
    // 1. Sign in: a signed-out visitor is sent to the form.
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    const signIn = page.getByRole("form", { name: "Sign in" });
    await journey.fill(signIn.getByLabel("Email"), "the email field", OWNER.email);
    await journey.fill(signIn.getByLabel("Password"), "the password field", OWNER.password);
    await journey.expectNoSidewaysPage("sign-in");
    await journey.shot("sign-in");
    await signInThroughTheForm(journey, signIn);
    await expect(page.getByTestId("signed-in-as")).toHaveText(`${OWNER.email} · owner`);
    await expect(page).not.toHaveURL(/\/sign-in/);
    // The header wraps on a phone: signing out is in reach without scrolling anything sideways.
    await journey.reach(page.getByRole("button", { name: "Sign out" }), "the Sign out button");

    // 2. A new run, on a repository added from the same page.
    await journey.tap(page.getByRole("link", { name: "New run" }).first(), "the New run link");
    await expect(page).toHaveURL(/\/runs\/new$/);
    // With no repository yet the form is open at once; otherwise it opens from its button.
    const addForm = page.getByRole("form", { name: "Add repository" });
    const addButton = page.getByRole("button", { name: "Add repository" });
    await expect(addForm.or(addButton)).toBeVisible();
    if (await addButton.isVisible()) await journey.tap(addButton, "the Add repository button");
    await journey.fill(addForm.getByLabel("Name"), "the repository name", repositoryName);
    await journey.fill(addForm.getByLabel("Local path"), "the local path", checkout.path);
    await journey.tap(addForm.getByRole("button", { name: "Save repository" }), "the Save repository button");
    await expect(page.getByRole("status")).toContainText(`Added ${repositoryName}`);
    await expect(page.getByLabel("Repository", { exact: true }).locator("option:checked")).toHaveText(repositoryName);

    // 3. Paste the scope (its marker picks the manager's script) and start.
    const runForm = page.getByRole("form", { name: "New run" });
    await journey.fill(runForm.getByLabel("Scope"), "the scope field", `# ${title}\n\nFix the greeting so that sh test.sh passes.\n\n[scenario:manager-journey]\n`);
    await expect(runForm.getByLabel("Title (optional)")).toHaveAttribute("placeholder", title);
    await journey.expectNoSidewaysPage("new run");
    await journey.shot("new-run");
    await journey.tap(runForm.getByRole("button", { name: "Start run" }), "the Start run button");
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    journey.runId = new URL(page.url()).pathname.split("/").pop()!;
    const runUrl = page.url();
    await expect(page.getByTestId("run-title")).toHaveText(title);
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    // A phone folds the Activity feed away; the journey reads it, so it opens it once.
    if (device === "phone") await journey.tap(page.locator("summary").filter({ hasText: /^Activity/ }), "the Activity summary");

    // From here on the page is never reloaded: a full load would drop the marker and count here.
    let loads = 0;
    page.on("load", () => (loads += 1));
    await page.evaluate(() => {
      window.__noReload = true;
    });
    await recordCardStatuses(page);
    const header = page.getByTestId("run-title").locator("xpath=..");
    const runStatus = (status: string) => header.getByText(status, { exact: true });

    // 4. The manager asks one question; the answer goes back from the manager panel.
    const question = page.getByTestId("open-question");
    await journey.eventually("the manager's question", () => expect(question).toContainText(JOURNEY_QUESTION, { timeout: RUNNER_TIMEOUT }));
    await expect(runStatus("needs input")).toBeVisible();
    await journey.fill(question.getByRole("textbox"), "the answer field", "Yes, one line in the README.");
    await journey.expectNoSidewaysPage("run with a question");
    await journey.shot("run-question");
    await journey.tap(page.getByRole("button", { name: "Send answers" }), "the Send answers button");

    // 5. The plan arrives live; T2's goal is edited, saved and the plan approved.
    const t2Plan = page.getByTestId("plan-task").and(page.locator('[data-key="T2"]'));
    await journey.eventually("the proposed plan", () => expect(t2Plan).toBeVisible({ timeout: RUNNER_TIMEOUT }));
    await expect(question).toHaveCount(0);
    await expect(runStatus("awaiting approval")).toBeVisible();
    await expect(page.getByTestId("dependencies")).toContainText("T2 after T1");
    await expect(page.getByTestId("plan-task")).toHaveCount(2);
    const editedGoal = "[scenario:journey-readme-worker] Mention the greeting in README.md, in one short line.";
    await journey.fill(t2Plan.getByLabel("Goal"), "T2's goal field", editedGoal);
    await journey.shot("plan");
    await journey.tap(page.getByRole("button", { name: "Save changes" }), "the Save changes button");
    await expect(page.getByTestId("event-feed").getByText("Plan edited: 2 task(s)")).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("manager-panel").getByRole("alert")).toHaveCount(0);
    await journey.tap(page.getByRole("button", { name: "Approve plan" }), "the Approve plan button");
    await expect(page.getByTestId("event-feed").getByText("Plan approved", { exact: true })).toBeVisible({ timeout: RUNNER_TIMEOUT });
    await expect(page.getByTestId("plan-task")).toHaveCount(0);

    // 6. The cards appear; T2 waits for T1, which runs its long command.
    await journey.eventually("the cards", () => expect(page.getByTestId("task-card")).toHaveCount(2, { timeout: RUNNER_TIMEOUT }));
    await expect(runStatus("running")).toBeVisible();
    await expect((await journey.column("Waiting")).getByTestId("task-card").and(page.locator('[data-key="T2"]'))).toBeVisible();
    await expect(card(page, "T2")).toHaveAttribute("data-status", "waiting");
    await expect(card(page, "T2").getByTestId("hold-reason")).toContainText("waits for T1");
    await journey.eventually("T1 running its long command", async () => {
      await expect((await journey.column("Running")).getByTestId("task-card").and(page.locator('[data-key="T1"]'))).toBeVisible({ timeout: RUNNER_TIMEOUT });
      await expect(card(page, "T1").getByTestId("last-activity")).toContainText("sleep 300", { timeout: RUNNER_TIMEOUT });
    });
    await expect(card(page, "T1")).toHaveAttribute("data-status", "running");
    await journey.expectNoSidewaysPage("board running");
    if (device === "phone") {
      // One column at a time, with no sideways scroll even inside the board.
      const board = page.getByTestId("board");
      await expect(board.locator("section[data-column]:visible")).toHaveCount(1);
      expect(await board.evaluate((element) => element.scrollWidth <= element.clientWidth), "the board fits the phone's width").toBe(true);
    }
    await journey.shot("board-running");

    // 7. Pause while T1's command runs: the run says paused, the card says its turn was interrupted.
    await journey.tap(page.getByRole("button", { name: "Pause" }), "the Pause button");
    await expect(runStatus("paused")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
    await journey.eventually("T1's turn interrupted by the pause", () =>
      expect(card(page, "T1").getByTestId("last-activity")).toContainText(/interrupted/, { timeout: RUNNER_TIMEOUT }),
    );
    // Paused, the task keeps its place: it continues where it stopped.
    await expect(card(page, "T1")).toHaveAttribute("data-status", "running");
    await expect(card(page, "T2")).toHaveAttribute("data-status", "waiting");
    await journey.shot("paused");
    await journey.tap(page.getByRole("button", { name: "Resume" }), "the Resume button");
    await expect(runStatus("running")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();

    // T1 goes on: verified (the sleep keeps it in Verifying for a moment), then done; T2 starts after it.
    await journey.eventually("T1 in Verifying", async () =>
      expect((await journey.column("Verifying")).getByTestId("task-card").and(page.locator('[data-key="T1"]'))).toBeVisible({ timeout: RUNNER_TIMEOUT }),
    );
    await journey.eventually("T1 done", async () =>
      expect((await journey.column("Done")).getByTestId("task-card").and(page.locator('[data-key="T1"]'))).toBeVisible({ timeout: RUNNER_TIMEOUT }),
    );
    await expect(card(page, "T1")).toHaveAttribute("data-status", "done");
    await expect(card(page, "T1").getByTestId("verification-badge")).toHaveAttribute("data-verification", "passed");
    await journey.eventually("T2 in review", () => expect(card(page, "T2")).toHaveAttribute("data-status", "needs_review", { timeout: RUNNER_TIMEOUT }));
    await expect((await journey.column("Needs review")).getByTestId("task-card")).toHaveCount(1);

    // 8. T1's drawer: the diff with its + and − lines, the worker's report next to Foreman's verification.
    await journey.column("Done");
    await journey.tap(card(page, "T1").getByRole("button"), "T1's card");
    let drawer = page.getByTestId("task-drawer");
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Fix the greeting");
    await expect(drawer.getByTestId("report-comparison")).toBeVisible({ timeout: 15_000 });
    const files = drawer.getByTestId("diff-file-list").getByRole("listitem");
    await expect(files).toHaveCount(1);
    await expect(files.filter({ hasText: "greeting.txt" })).toContainText("+1 −1");
    const greeting = drawer.getByTestId("diff-file").and(page.locator('[data-path="greeting.txt"]'));
    await expect(greeting.locator('[data-line="del"]')).toHaveText([/^1−hello$/]);
    await expect(greeting.locator('[data-line="add"]')).toHaveText([/^1\+hello, world$/]);
    await expect(drawer.getByTestId("worker-report")).toContainText("Changed greeting.txt to say hello, world");
    await expect(drawer.getByTestId("foreman-verification").locator('[data-exit-code="0"]')).toContainText(`$ ${JOURNEY_VERIFY_COMMAND}`);
    // Side by side where there is room; stacked on a phone.
    const report = (await drawer.getByTestId("worker-report").boundingBox())!;
    const verification = (await drawer.getByTestId("foreman-verification").boundingBox())!;
    if (device === "desktop") {
      expect(Math.abs(report.y - verification.y), "report and verification side by side").toBeLessThan(2);
      expect(verification.x).toBeGreaterThanOrEqual(report.x + report.width - 1);
    } else {
      expect(verification.y, "report and verification stacked").toBeGreaterThanOrEqual(report.y + report.height);
    }
    await journey.reach(drawer.getByTestId("worker-report"), "the worker's report");
    await journey.reach(drawer.getByTestId("foreman-verification"), "Foreman's verification");
    await journey.reach(greeting, "greeting.txt's diff");
    await journey.shot("drawer-diff", false);
    await journey.tap(drawer.getByRole("button", { name: "Close task details" }), "the drawer's Close button");
    await expect(drawer).toHaveCount(0);

    // 9. T2 is a ui task: it waits for a human. Its drawer has the edited goal, the README diff, and Accept.
    await journey.column("Needs review");
    await journey.tap(card(page, "T2").getByRole("button"), "T2's card");
    drawer = page.getByTestId("task-drawer");
    await expect(drawer.getByRole("heading", { level: 2 })).toHaveText("Mention the greeting in the README");
    await expect(drawer).toContainText(editedGoal);
    await expect(drawer.getByTestId("report-comparison")).toBeVisible({ timeout: 15_000 });
    await expect(drawer.getByTestId("diff-file-list").getByRole("listitem").filter({ hasText: "README.md" })).toContainText("+2 −0");
    await expect(drawer.getByTestId("worker-report")).toContainText("README.md now mentions the greeting.");
    await journey.shot("drawer-review", false);
    // A ui task is accepted against its manual test plan: Accept waits until every step is ticked.
    await expect(drawer.getByRole("button", { name: "Accept" })).toBeDisabled();
    await journey.tap(drawer.getByTestId("manual-checklist").getByRole("checkbox", { name: "Read README.md: it mentions the greeting." }), "the manual test step");
    await journey.tap(drawer.getByRole("button", { name: "Accept" }), "the Accept button");
    await expect(drawer.getByRole("status").filter({ hasText: "Accepted." })).toBeVisible();
    await expect(drawer.getByRole("alert")).toHaveCount(0);
    // Behind the open drawer a phone's board still shows Needs review; the card's own status says it moved.
    await journey.eventually("T2 done after the accept", () =>
      device === "phone"
        ? expect(card(page, "T2")).toHaveAttribute("data-status", "done", { timeout: RUNNER_TIMEOUT })
        : expect(column(page, "Done").getByTestId("task-card").and(page.locator('[data-key="T2"]'))).toBeVisible({ timeout: RUNNER_TIMEOUT }),
    );
    await journey.tap(drawer.getByRole("button", { name: "Close task details" }), "the drawer's Close button");
    await expect(drawer).toHaveCount(0);

    // Accepted locally means merged: main (and its checked-out files) has T2's line and, through T2's branch, T1's fix.
    await expect.poll(() => git(checkout.path, "show", "main:README.md"), { message: "README.md on main" }).toContain(JOURNEY_README_LINE);
    expect(git(checkout.path, "show", "main:greeting.txt")).toBe("hello, world\n");
    expect(git(checkout.path, "log", "--format=%s", "main")).toMatch(/T2/);
    expect(readFileSync(`${checkout.path}/README.md`, "utf8")).toContain(JOURNEY_README_LINE);

    // 10. The run completes, and the manager's summary is on the page.
    await journey.eventually("the run completed", () => expect(runStatus("completed")).toBeVisible({ timeout: RUNNER_TIMEOUT }));
    const summary = page.getByTestId("manager-panel").getByRole("heading", { name: "Run summary" }).locator("xpath=..");
    await expect(summary).toContainText("The greeting says hello, world and the README mentions it.", { timeout: 15_000 });
    await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
    await expect(page.getByTestId("run-progress")).toContainText("2 / 2 done");
    await journey.expectNoSidewaysPage("completed run");
    await journey.shot("completed");

    // Every move happened live, forward only, on the page loaded once.
    const seen = await page.evaluate(() => window.__cardStatuses);
    test.info().annotations.push({ type: "card statuses", description: JSON.stringify(seen) });
    expectForwardThrough("T1", seen?.T1, ["running", "verifying", "done"]);
    expectForwardThrough("T2", seen?.T2, ["waiting", "running", "verifying", "needs_review", "done"]);
    expect(await page.evaluate(() => window.__noReload), "the page was reloaded").toBe(true);
    expect(loads, "the run page loaded again").toBe(0);
    expect(page.url()).toBe(runUrl);
    if (device === "phone") expect(page.viewportSize()).toEqual(PHONE);
    expect(pageErrors.map((error) => error.message)).toEqual([]);
  } finally {
    checkout.remove();
  }
}

test.describe("on a desktop", () => {
  test.use({ viewport: { width: 1280, height: 900 } });
  test("the owner signs in, starts a run, steers it through question, plan, pause and review, and it completes live", async ({ page }) => {
    await theWholeLoop(page, "desktop");
  });
});

test.describe("on a phone", () => {
  test.use({ viewport: PHONE });
  test("the same journey on a 390×844 screen, with every control in reach", async ({ page }) => {
    await theWholeLoop(page, "phone");
  });
});
