import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accessLinks, apiTokens, repositories, shareLinks, users } from "../../db/schema";
import { checkActor } from "../../lib/auth/access";
import { checkAccessLink } from "../../lib/auth/check-access-link";
import { createInvite, ensureSetupLink, listInvites, redeemAccessLink, revokeInvite, SETUP_LINK_MINUTES } from "../../lib/auth/access-links";
import { resolveActor, SHARE_COOKIE } from "../../lib/auth/actor";
import { createApiToken, revokeApiToken } from "../../lib/auth/api-tokens";
import { createAuth, SIGN_IN_ATTEMPTS_PER_MINUTE } from "../../lib/auth/auth";
import { handleAuthPost } from "../../lib/auth/auth-post";
import { ACCOUNT_FREE_FAILURES } from "../../lib/auth/sign-in-limit";
import { createUser } from "../../lib/auth/create-user";
import { changeRole, removeUser } from "../../lib/auth/users";
import { openSecret, sealSecret } from "../../lib/crypto/secrets";
import { createRepository } from "../../lib/repositories/create-repository";
import { createRepositoryInput } from "../../lib/repositories/schema";
import { createShareLink, revokeShareLink } from "../../lib/share/share-links";
import { useTestDatabase } from "../support/db";
import { makeGitRepo, seedRun } from "../support/factories";

const database = await useTestDatabase();
const { db } = database;
const SECRET = "t".repeat(48);
const PUBLIC_URL = "http://127.0.0.1:3999";
const auth = createAuth(db, { secret: SECRET, publicUrl: PUBLIC_URL });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

let emails = 0;
const newEmail = () => `person${++emails}@example.test`;

/** Through the same path as POST /api/auth/sign-in/email: body cap, per-account limit, then better-auth. */
function signIn(email: string, password: string, address = "198.51.100.7") {
  return handleAuthPost(db, auth,
    new Request(`${PUBLIC_URL}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PUBLIC_URL, "x-foreman-remote-address": address },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** Every text cell of every row, to look for a secret anywhere in a table. */
async function cellsOf(table: string): Promise<string[]> {
  const rows = await db.execute<Record<string, unknown>>(sql.raw(`select * from ${table}`));
  return rows.flatMap((row) => Object.values(row).map((value) => (value instanceof Date ? value.toISOString() : JSON.stringify(value) ?? "")));
}

describe("accounts and sign-in", () => {
  it("lets a created user sign in with the right password only", async () => {
    const email = newEmail();
    await createUser(db, auth, { email, name: "Ada", password: "correct horse battery", role: "operator" });
    const ok = await signIn(email, "correct horse battery", "198.51.100.1");
    expect(ok.status).toBe(200);
    expect(ok.headers.getSetCookie().join(";")).toContain("foreman.session_token=");
    const actor = await resolveActor(db, auth, new Headers({ cookie: ok.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") }));
    expect(actor).toMatchObject({ kind: "user", email, role: "operator" });
    expect((await signIn(email, "wrong password!!", "198.51.100.2")).status).toBe(401);
  });

  it("refuses one address past its per-minute budget across many accounts, while another address is not affected", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE + 1; i++) statuses.push((await signIn(newEmail(), `wrong-${i}-password`, "203.0.113.9")).status);
    expect(statuses.slice(0, SIGN_IN_ATTEMPTS_PER_MINUTE).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const email = newEmail();
    await createUser(db, auth, { email, name: "Bob", password: "a long enough password", role: "viewer" });
    expect((await signIn(email, "a long enough password", "203.0.113.9")).status).toBe(429);
    expect((await signIn(email, "a long enough password", "203.0.113.10")).status).toBe(200);
  });

  it("50 wrong passwords for one account from 50 addresses meet the account's limit, right password included", async () => {
    const email = newEmail();
    await createUser(db, auth, { email, name: "Target", password: "the right password", role: "owner" });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await signIn(email, `guess-${i}-password`, `198.18.${Math.floor(i / 200)}.${i + 1}`)).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(ACCOUNT_FREE_FAILURES);
    expect(statuses.slice(ACCOUNT_FREE_FAILURES).every((status) => status === 429)).toBe(true);
    const refused = await signIn(email, "the right password", "198.18.1.1");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("x-retry-after"))).toBeGreaterThan(0);
  });

  it("a burst of parallel guesses at one account lets no more than the free failures through", async () => {
    const email = newEmail();
    await createUser(db, auth, { email, name: "Burst", password: "the right password", role: "viewer" });
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(email, `burst-${i}-password`, `198.19.0.${i + 1}`).then((r) => r.status)));
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(ACCOUNT_FREE_FAILURES);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20 - ACCOUNT_FREE_FAILURES);
  });

  it("one address hammering one account does not lock a different account out, from that address too", async () => {
    const target = newEmail();
    const other = newEmail();
    await createUser(db, auth, { email: target, name: "Hammered", password: "hammered password", role: "viewer" });
    await createUser(db, auth, { email: other, name: "Bystander", password: "bystander password", role: "viewer" });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await signIn(target, `hammer-${i}-password`, "127.0.0.1")).status);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn(other, "bystander password", "127.0.0.1")).status).toBe(200);
    expect((await signIn(other, "bystander password", "198.51.100.99")).status).toBe(200);
  });

  it("a right password starts the account's count again", async () => {
    const email = newEmail();
    await createUser(db, auth, { email, name: "Typo", password: "typo-free password", role: "viewer" });
    for (let i = 0; i < ACCOUNT_FREE_FAILURES - 1; i++) expect((await signIn(email, `typo-${i}-password`, `198.51.100.${120 + i}`)).status).toBe(401);
    expect((await signIn(email, "typo-free password", "198.51.100.130")).status).toBe(200);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await signIn(email, `again-${i}-password`, `198.51.100.${140 + i}`)).status).toBe(401);
  });

  it("refuses a duplicate account and a short password", async () => {
    const email = newEmail();
    await createUser(db, auth, { email, name: "C", password: "0123456789", role: "viewer" });
    await expect(createUser(db, auth, { email, name: "C", password: "0123456789", role: "viewer" })).rejects.toMatchObject({ code: "state_conflict" });
    await expect(createUser(db, auth, { email: newEmail(), name: "C", password: "short", role: "viewer" })).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("one-time links", () => {
  it("offer a setup link only while no account exists, and a link works once", async () => {
    const fresh = await useFreshDatabase();
    const freshAuth = createAuth(fresh, { secret: SECRET, publicUrl: PUBLIC_URL });
    const link = await ensureSetupLink(fresh);
    expect(link?.token).toMatch(/^fmi_[A-Za-z0-9_-]{43}$/);
    // Short-lived: an hour, not for ever.
    expect(link!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SETUP_LINK_MINUTES * 60_000);
    expect(link!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const input = { token: link!.token, name: "Owner", email: "owner@example.test", password: "owner password 1" };
    const results = await Promise.allSettled([redeemAccessLink(fresh, freshAuth, "setup", input), redeemAccessLink(fresh, freshAuth, "setup", { ...input, email: "other@example.test" })]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [owner] = await fresh.select().from(users);
    expect(owner?.role).toBe("owner");
    expect(await ensureSetupLink(fresh)).toBeNull();
  });

  it.each([
    ["npm run admin's createUser", async (db: TestDb, auth: TestAuth) => void (await createUser(db, auth, { email: "admin-made@example.test", name: "A", password: "admin password 1", role: "viewer" }))],
    ["an invitation", async (db: TestDb, auth: TestAuth) => {
      const inviter = await createUser(db, auth, { email: "inviter@example.test", name: "I", password: "inviter password", role: "owner" });
      const invite = await createInvite(db, "viewer", inviter.id);
      await redeemAccessLink(db, auth, "invite", { token: invite.token, name: "V", email: "invited@example.test", password: "invited password" });
    }],
    ["a plain insert into users", async (db: TestDb) => void (await db.insert(users).values({ id: "raw-user", name: "Raw", email: "raw@example.test", role: "viewer" }))],
  ])("refuse the setup link once an account exists, made by %s", async (_, makeAccount) => {
    const fresh = await useFreshDatabase();
    const freshAuth = createAuth(fresh, { secret: SECRET, publicUrl: PUBLIC_URL });
    const link = await ensureSetupLink(fresh);
    await makeAccount(fresh, freshAuth);
    await expect(redeemAccessLink(fresh, freshAuth, "setup", { token: link!.token, name: "Late", email: "late@example.test", password: "late owner password" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await fresh.select({ id: accessLinks.id }).from(accessLinks).where(eq(accessLinks.kind, "setup"))).toEqual([]);
    expect((await fresh.select({ role: users.role }).from(users).where(eq(users.email, "late@example.test")))).toEqual([]);
  });

  it("refuse an expired setup link", async () => {
    const fresh = await useFreshDatabase();
    const freshAuth = createAuth(fresh, { secret: SECRET, publicUrl: PUBLIC_URL });
    const link = await ensureSetupLink(fresh);
    await fresh.update(accessLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessLinks.kind, "setup"));
    await expect(redeemAccessLink(fresh, freshAuth, "setup", { token: link!.token, name: "O", email: "o@example.test", password: "owner password 1" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await fresh.select().from(users)).toEqual([]);
  });

  it("grant the invited role, and refuse an expired invitation", async () => {
    const owner = await createUser(db, auth, { email: newEmail(), name: "Own", password: "owner password 1", role: "owner" });
    const invite = await createInvite(db, "operator", owner.id);
    const user = await redeemAccessLink(db, auth, "invite", { token: invite.token, name: "Op", email: newEmail(), password: "operator password" });
    expect(user.role).toBe("operator");
    const expired = await createInvite(db, "owner", owner.id);
    await db.update(accessLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessLinks.id, expired.id));
    await expect(redeemAccessLink(db, auth, "invite", { token: expired.token, name: "X", email: newEmail(), password: "whatever password" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("list open invitations with creator, role and expiry; a revoked one is refused", async () => {
    const owner = await createUser(db, auth, { email: newEmail(), name: "Inviting Owner", password: "owner password 1", role: "owner" });
    const invite = await createInvite(db, "operator", owner.id);
    const listed = (await listInvites(db)).find((row) => row.id === invite.id);
    expect(listed).toMatchObject({ role: "operator", createdByName: "Inviting Owner", createdByEmail: owner.email });
    expect(listed?.expiresAt?.getTime()).toBe(invite.expiresAt.getTime());
    await revokeInvite(db, invite.id);
    expect((await listInvites(db)).map((row) => row.id)).not.toContain(invite.id);
    const email = newEmail();
    await expect(redeemAccessLink(db, auth, "invite", { token: invite.token, name: "X", email, password: "whatever password" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
    await expect(revokeInvite(db, invite.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it.each([
    ["demoted to operator", (id: string) => changeRole(db, id, "operator")],
    ["removed", (id: string) => removeUser(db, id)],
  ])("refuse an owner invitation whose creator was %s since", async (_, change) => {
    // Another owner stays, so the creator may be demoted or removed.
    await createUser(db, auth, { email: newEmail(), name: "Keeper", password: "owner password 1", role: "owner" });
    const creator = await createUser(db, auth, { email: newEmail(), name: "Creator", password: "owner password 1", role: "owner" });
    const invite = await createInvite(db, "owner", creator.id);
    await change(creator.id);
    const email = newEmail();
    await expect(redeemAccessLink(db, auth, "invite", { token: invite.token, name: "X", email, password: "whatever password" })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("can no longer grant the owner role"),
    });
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("say before any form is filled whether a link is open, used, expired, unknown, or set up already", async () => {
    const fresh = await useFreshDatabase();
    const freshAuth = createAuth(fresh, { secret: SECRET, publicUrl: PUBLIC_URL });
    const setup = (await ensureSetupLink(fresh))!;
    expect(await checkAccessLink(fresh, "setup", setup.token)).toBe("open");
    // Kinds do not mix, and tokens never made (or absurdly long) are unknown.
    expect(await checkAccessLink(fresh, "invite", setup.token)).toBe("unknown");
    expect(await checkAccessLink(fresh, "setup", "fmi_never-made")).toBe("unknown");
    expect(await checkAccessLink(fresh, "setup", `fmi_${"x".repeat(500)}`)).toBe("unknown");
    await fresh.update(accessLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessLinks.kind, "setup"));
    expect(await checkAccessLink(fresh, "setup", setup.token)).toBe("expired");

    const owner = await createUser(fresh, freshAuth, { email: "first@example.test", name: "First", password: "first owner password", role: "owner" });
    expect(await checkAccessLink(fresh, "setup", setup.token)).toBe("account_exists");

    const used = await createInvite(fresh, "viewer", owner.id);
    expect(await checkAccessLink(fresh, "invite", used.token)).toBe("open");
    await redeemAccessLink(fresh, freshAuth, "invite", { token: used.token, name: "V", email: "viewer@example.test", password: "viewer password" });
    expect(await checkAccessLink(fresh, "invite", used.token)).toBe("used");
    const expired = await createInvite(fresh, "viewer", owner.id);
    await fresh.update(accessLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(accessLinks.id, expired.id));
    expect(await checkAccessLink(fresh, "invite", expired.token)).toBe("expired");
    const revoked = await createInvite(fresh, "viewer", owner.id);
    await revokeInvite(fresh, revoked.id);
    expect(await checkAccessLink(fresh, "invite", revoked.token)).toBe("unknown");
  });
});

describe("tokens are stored only as hashes", () => {
  it("API tokens, share links, setup and invite links keep no token in any column", async () => {
    const email = newEmail();
    const user = await createUser(db, auth, { email, name: "T", password: "token owner password", role: "operator" });
    const apiToken = await createApiToken(db, user.id, "ci");
    const run = await seedRun(db);
    const share = await createShareLink(db, run.id, user.id);
    const invite = await createInvite(db, "viewer", user.id);
    const secrets = [apiToken.token, share.token, invite.token];
    const cells = [...(await cellsOf("api_tokens")), ...(await cellsOf("share_links")), ...(await cellsOf("access_links"))];
    for (const secret of secrets) expect(cells.filter((cell) => cell.includes(secret))).toEqual([]);
    const [storedToken] = await db.select().from(apiTokens).where(eq(apiTokens.id, apiToken.id));
    expect(storedToken?.tokenHash).toBe(sha256(apiToken.token));
    const [storedShare] = await db.select().from(shareLinks).where(eq(shareLinks.id, share.id));
    expect(storedShare?.tokenHash).toBe(sha256(share.token));
    // ≥128 bits: 32 random bytes, base64url.
    expect(share.token).toMatch(/^fms_[A-Za-z0-9_-]{43}$/);
  });
});

describe("callers", () => {
  it("are recognised by API token until it is revoked", async () => {
    const user = await createUser(db, auth, { email: newEmail(), name: "V", password: "viewer password!", role: "viewer" });
    const { id, token } = await createApiToken(db, user.id, "script");
    expect(await resolveActor(db, auth, new Headers({ authorization: `Bearer ${token}` }))).toMatchObject({ kind: "token", role: "viewer", tokenId: id });
    await revokeApiToken(db, id, { id: user.id, isOwner: false });
    expect(await resolveActor(db, auth, new Headers({ authorization: `Bearer ${token}` }))).toEqual({ kind: "anonymous" });
    expect(await resolveActor(db, auth, new Headers({ authorization: "Bearer fm_made_up" }))).toEqual({ kind: "anonymous" });
  });

  it("holding a share link see one run, read-only, until it is revoked or expires", async () => {
    const run = await seedRun(db);
    const other = await seedRun(db);
    const link = await createShareLink(db, run.id, "someone");
    const actor = await resolveActor(db, auth, new Headers({ cookie: `${SHARE_COOKIE}=${link.token}` }));
    expect(actor).toEqual({ kind: "share", shareLinkId: link.id, runId: run.id });
    expect(checkActor(actor, { role: "viewer", mutation: false, shareRunId: run.id })).toBe(actor);
    expect(() => checkActor(actor, { role: "viewer", mutation: false, shareRunId: other.id })).toThrow(/share link/);
    expect(() => checkActor(actor, { role: "viewer", mutation: false })).toThrow(/share link/);
    expect(() => checkActor(actor, { role: "operator", mutation: true, shareRunId: run.id })).toThrow(/share link/);
    await revokeShareLink(db, link.id);
    expect(await resolveActor(db, auth, new Headers({ cookie: `${SHARE_COOKIE}=${link.token}` }))).toEqual({ kind: "anonymous" });

    const expiring = await createShareLink(db, run.id, "someone");
    await db.update(shareLinks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(shareLinks.id, expiring.id));
    expect(await resolveActor(db, auth, new Headers({ cookie: `${SHARE_COOKIE}=${expiring.token}` }))).toEqual({ kind: "anonymous" });
  });

  it.each([
    [SHARE_COOKIE, "%ZZ"],
    [SHARE_COOKIE, "%"],
    [SHARE_COOKIE, "%E0%A4%A"],
    ["foreman.session_token", "%ZZ"],
    ["foreman.session_token", "not-a-token.%ZZ%"],
    ["foreman.session_data", "%ZZ"],
    ["foreman.session_data", "eyJub3QiOiJqc29uIg.%ZZ"],
    ["foreman.dont_remember", "%ZZ"],
  ])("with a malformed %s cookie (%s) are anonymous, never an error", async (name, value) => {
    expect(await resolveActor(db, auth, new Headers({ cookie: `${name}=${value}` }))).toEqual({ kind: "anonymous" });
    // Next to a valid credential, the broken cookie changes nothing.
    const run = await seedRun(db);
    const link = await createShareLink(db, run.id, "someone");
    if (name !== SHARE_COOKIE) {
      expect(await resolveActor(db, auth, new Headers({ cookie: `${name}=${value}; ${SHARE_COOKIE}=${link.token}` }))).toMatchObject({ kind: "share", runId: run.id });
    }
  });

  it("with a malformed Authorization header are anonymous", async () => {
    for (const value of ["Bearer", "Bearer %ZZ", "Basic abc", "Bearer fm_%00", "Bearer a b"]) {
      expect(await resolveActor(db, auth, new Headers({ authorization: value }))).toEqual({ kind: "anonymous" });
    }
  });

  it("need the role a route asks for", () => {
    const viewer = { kind: "user" as const, id: "u", email: "v@x", role: "viewer" as const };
    expect(() => checkActor(viewer, { role: "operator", mutation: true })).toThrow("This needs the operator role; you are viewer.");
    expect(() => checkActor({ kind: "anonymous" }, { role: "viewer", mutation: false })).toThrow(/Sign in first/);
    expect(checkActor({ ...viewer, role: "owner" }, { role: "operator", mutation: true })).toMatchObject({ role: "owner" });
  });
});

describe("stored secrets", () => {
  it("are sealed with AES-256-GCM and open only with the same FOREMAN_SECRET", () => {
    const sealed = sealSecret("ghp_example", SECRET);
    expect(sealed).not.toContain("ghp_example");
    expect(sealSecret("ghp_example", SECRET)).not.toBe(sealed); // fresh IV each time
    expect(openSecret(sealed, SECRET)).toBe("ghp_example");
    expect(() => openSecret(sealed, "x".repeat(48))).toThrow(/FOREMAN_SECRET differs/);
  });

  it("a repository's GitHub token is stored sealed and never returned", async () => {
    const token = "ghp_SECRETVALUE0123456789abcdefABCDEF0000";
    const view = await createRepository(db, createRepositoryInput.parse({ name: "with-token", path: makeGitRepo(), githubToken: token }), null, SECRET);
    expect(JSON.stringify(view)).not.toContain(token);
    expect(view.hasGithubToken).toBe(true);
    const [row] = await db.select().from(repositories).where(eq(repositories.id, view.id));
    expect(row?.githubTokenEncrypted).not.toContain(token);
    expect(openSecret(row!.githubTokenEncrypted!, SECRET)).toBe(token);
  });
});

type TestDb = typeof db;
type TestAuth = typeof auth;

/** A second, empty database for the first-start case. */
async function useFreshDatabase() {
  const again = await useTestDatabase();
  return again.db;
}
