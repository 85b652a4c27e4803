// Journeys (issue #17): a one-time link that cannot work says so the moment it is opened (used, revoked or
// garbled), instead of showing a form that is refused only when sent; and the sign-in form, once its rate
// limit refuses, says how long to wait and holds its button until then.
import { expect, test } from "@playwright/test";
import { uniqueName } from "./helpers";

test.use({ storageState: { cookies: [], origins: [] } });

test("a used, revoked or garbled invitation link says so at once", async ({ page, browser, baseURL }) => {
  const ownerContext = await browser.newContext({ storageState: "e2e/.auth/owner.json", extraHTTPHeaders: { origin: baseURL! } });
  try {
    const owner = ownerContext.request;
    const invite = async () => {
      const response = await owner.post("/api/invites", { data: { role: "viewer" } });
      expect(response.status()).toBe(201);
      return (await response.json()) as { id: string; url: string };
    };

    // An open invitation shows its form.
    const used = await invite();
    await page.goto(used.url);
    await expect(page.getByRole("heading", { name: "Join Foreman" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Create account" })).toBeVisible();

    // Once used, the same link says so, with no form.
    const email = `${uniqueName("joined")}@example.test`;
    const accepted = await page.request.post("/api/invites/accept", {
      headers: { origin: baseURL! },
      data: { token: new URL(used.url).searchParams.get("token"), name: "Joined Once", email, password: "joined once password" },
    });
    expect(accepted.status()).toBe(201);
    await page.context().clearCookies();
    await page.goto(used.url);
    await expect(page.getByRole("heading", { name: "This invitation was used" })).toBeVisible();
    await expect(page.getByTestId("unusable-link")).toHaveAttribute("data-state", "used");
    await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Go to sign in" })).toBeVisible();

    // A revoked invitation, and a token that was never made.
    const revoked = await invite();
    expect((await owner.delete(`/api/invites/${revoked.id}`)).status()).toBe(200);
    await page.goto(revoked.url);
    await expect(page.getByRole("heading", { name: "This invitation does not work" })).toBeVisible();
    await expect(page.getByText("Ask an owner for a new invitation.")).toBeVisible();
    await page.goto("/invite?token=fmi_not-a-real-token");
    await expect(page.getByTestId("unusable-link")).toHaveAttribute("data-state", "unknown");
    await expect(page.locator("form")).toHaveCount(0);
  } finally {
    await ownerContext.close();
  }
});

test("the sign-in form says when to try again, and waits until then", async ({ page, baseURL }) => {
  // An address nobody signs in with: its own per-account limit (five wrong passwords in a row) trips first.
  const email = `${uniqueName("guesser")}@example.test`;
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const wrong = await page.request.post("/api/auth/sign-in/email", { headers: { origin: baseURL! }, data: { email, password: `wrong password ${attempt}` } });
    expect(wrong.status(), `attempt ${attempt}`).toBe(401);
  }

  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill("wrong password 6");
  const answered = page.waitForResponse((response) => response.url().endsWith("/api/auth/sign-in/email"));
  await form.getByRole("button", { name: "Sign in" }).click();
  const response = await answered;
  expect(response.status()).toBe(429);
  const seconds = Number(response.headers()["retry-after"] ?? response.headers()["x-retry-after"]);
  expect(seconds).toBeGreaterThan(0);
  const alert = form.getByRole("alert");
  await expect(alert).toHaveText(/^Too many attempts\. Try again in \d+ seconds\.$/);
  const said = Number(/in (\d+) seconds/.exec((await alert.textContent()) ?? "")?.[1]);
  expect(said).toBe(seconds);
  const button = form.getByRole("button", { name: /^Sign in/ });
  await expect(button).toBeDisabled();
  await expect(button).toHaveText(/^Sign in \(wait \d+ seconds?\)$/);
});
