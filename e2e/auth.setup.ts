// The first start: Foreman prints a one-time setup link (and writes it to FOREMAN_DATA_DIR/setup-url);
// opening it creates the owner, who is then signed in. The session is kept for the other specs.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import { OWNER, OWNER_STATE } from "./accounts";

setup("the owner signs up through the setup link", async ({ page }) => {
  const file = path.join(process.env.FOREMAN_E2E_DATA_DIR!, "setup-url");
  await expect.poll(() => existsSync(file), { message: `${file} should hold the setup link`, timeout: 15_000 }).toBe(true);
  const setupUrl = readFileSync(file, "utf8").trim();
  expect(setupUrl).toMatch(/\/setup\?token=fmi_[A-Za-z0-9_-]{43}$/);

  // Without an account, pages send you to sign in.
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto(setupUrl);
  await expect(page.getByRole("heading", { name: "Create the owner account" })).toBeVisible();
  await page.getByLabel("Name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.locator("input[name=password]").fill(OWNER.password);
  await page.locator("input[name=confirm]").fill(OWNER.password);
  await page.screenshot({ path: setup.info().outputPath("setup-page.png"), fullPage: true });
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(`${OWNER.email} · owner`);
  expect(existsSync(file), "the setup link is removed once used").toBe(false);

  // The link works once.
  const again = await page.request.post("/api/setup", {
    headers: { origin: new URL(setupUrl).origin },
    data: { token: new URL(setupUrl).searchParams.get("token"), name: "Second", email: "second@example.test", password: "another password" },
  });
  expect(again.status()).toBe(403);
  // Opened again, the link says at once that it no longer works, with no form to fill.
  await page.goto(setupUrl);
  await expect(page.getByRole("heading", { name: "Foreman is set up already" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create owner account" })).toHaveCount(0);

  mkdirSync(path.dirname(OWNER_STATE), { recursive: true });
  await page.context().storageState({ path: OWNER_STATE });
});
