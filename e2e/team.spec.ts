// Journey: the owner invites a teammate from the Users page; the teammate joins through the link, makes an API
// token, uses and revokes it; the owner lowers the teammate's role, and every step is in the audit log.
import { expect, test } from "@playwright/test";
import { createRepository, createRun, makeGitRepo, uniqueName } from "./helpers";

test("an owner invites, manages and audits a teammate", async ({ page, browser, request, baseURL }) => {
  test.setTimeout(90_000);
  const checkout = makeGitRepo();
  const repository = await createRepository(request, { path: checkout.path });
  const run = await createRun(request, repository.id, "Team run");

  await page.goto("/settings/users");
  await page.getByLabel("Role", { exact: true }).selectOption("operator");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = await page.getByTestId("invite-url").inputValue();
  expect(inviteUrl).toContain(`${baseURL}/invite?token=fmi_`);
  await page.screenshot({ path: test.info().outputPath("users-page.png"), fullPage: true });

  // The teammate joins in a browser of their own.
  const email = `${uniqueName("teammate")}@example.test`;
  const mate = await (await browser.newContext({ storageState: { cookies: [], origins: [] }, extraHTTPHeaders: {} })).newPage();
  await mate.goto(inviteUrl);
  await mate.getByLabel("Name").fill("Tess Teammate");
  await mate.getByLabel("Email").fill(email);
  await mate.locator("input[name=password]").fill("teammate password 1");
  await mate.locator("input[name=confirm]").fill("teammate password 1");
  await mate.getByRole("button", { name: "Create account" }).click();
  await expect(mate.getByTestId("signed-in-as")).toHaveText(`${email} · operator`);
  await expect(mate.getByRole("link", { name: "Users" })).toHaveCount(0);
  await mate.goto("/settings/users");
  await expect(mate.getByText("This page needs the owner role.")).toBeVisible();
  // An operator can act on runs.
  await mate.goto(`/runs/${run.id}`);
  await expect(mate.getByRole("button", { name: "Check now" })).toBeVisible();

  // An API token: shown once, works as the teammate, stops working when revoked.
  await mate.goto("/settings/tokens");
  await mate.getByLabel("Name").fill("laptop script");
  await mate.getByRole("button", { name: "Create token" }).click();
  const token = await mate.getByTestId("new-api-token").inputValue();
  expect(token).toMatch(/^fm_[A-Za-z0-9_-]{43}$/);
  await mate.screenshot({ path: test.info().outputPath("tokens-page.png"), fullPage: true });
  const withToken = { headers: { authorization: `Bearer ${token}` } };
  expect((await mate.request.get("/api/runs", withToken)).status()).toBe(200);
  await mate.getByRole("button", { name: "Revoke token laptop script" }).click();
  await expect(mate.getByTestId("api-token-row").getByText(/revoked/i)).toBeVisible();
  expect((await mate.request.get("/api/runs", { headers: { authorization: `Bearer ${token}`, cookie: "" } })).status()).toBe(401);

  // The owner makes the teammate a viewer: the run page loses its controls.
  await page.reload();
  await page.getByLabel(`Role of ${email}`).selectOption("viewer");
  await expect(page.getByLabel(`Role of ${email}`)).toHaveValue("viewer");
  await expect.poll(async () => {
    await mate.goto(`/runs/${run.id}`);
    return mate.getByRole("button", { name: "Check now" }).count();
  }).toBe(0);
  await expect(mate.getByTestId("signed-in-as")).toHaveText(`${email} · viewer`);

  // Everything above is in the audit log.
  await page.goto("/audit");
  for (const action of ["user.invite", "user.accept_invite", "api_token.create", "api_token.revoke", "user.change_role"]) {
    await expect(page.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await page.screenshot({ path: test.info().outputPath("audit-page.png"), fullPage: true });
  checkout.remove();
});

test("an owner sees open invitations and revokes a leaked one; its link is refused", async ({ page, baseURL }) => {
  await page.goto("/settings/users");
  await page.getByLabel("Role", { exact: true }).selectOption("owner");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = await page.getByTestId("invite-url").inputValue();
  const token = new URL(inviteUrl).searchParams.get("token");

  await page.reload();
  const row = page.getByTestId("invite-row").filter({ hasText: "owner" }).filter({ hasText: "Olive Owner (owner@example.test)" });
  await expect(row.first()).toBeVisible();
  const before = await page.getByTestId("invite-row").count();
  await page.screenshot({ path: test.info().outputPath("open-invitations.png"), fullPage: true });
  await row.first().getByRole("button", { name: /^Revoke the owner invitation/ }).click();
  await expect(page.getByTestId("invite-row")).toHaveCount(before - 1);

  const accepted = await page.request.post("/api/invites/accept", {
    headers: { origin: baseURL! },
    data: { token, name: "Leaked", email: "leaked-invite@example.test", password: "leaked invite password" },
  });
  expect(accepted.status()).toBe(403);
  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "user.revoke_invite", exact: true }).first()).toBeVisible();
});
