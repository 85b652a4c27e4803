import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { sessions, shareLinks, users } from "../../db/schema";
import { createApiToken, revokeApiToken } from "../../lib/auth/api-tokens";
import { type Actor, SHARE_COOKIE } from "../../lib/auth/actor";
import { cachedActor, keepActorsFresh } from "../../lib/auth/actor-cache";
import { createAuth } from "../../lib/auth/auth";
import { changeRole } from "../../lib/auth/users";
import { createShareLink, revokeShareLink } from "../../lib/share/share-links";
import { useTestDatabase } from "../support/db";
import { signedInUser } from "../support/sign-in";
import { seedRun } from "../support/factories";

/**
 * Reads reuse a resolved credential (lib/auth/actor-cache.ts), and still no
 * revoked or changed credential is honoured: a revocation made in this
 * process applies from the very next request, one made elsewhere (another
 * web node, `npm run admin`, plain SQL) as soon as its notice arrives.
 */
const database = await useTestDatabase();
const { db } = database;
const auth = createAuth(db, { secret: "s".repeat(48), publicUrl: "http://127.0.0.1:3999" });
let fresh: Awaited<ReturnType<typeof keepActorsFresh>> | null = null;
afterAll(async () => {
  await fresh?.close();
});

async function signedIn(role: "operator" | "viewer" | "owner" = "operator") {
  const { user, email, cookie } = await signedInUser(db, auth, role, "cache");
  return { user, email, headers: new Headers({ cookie }) };
}

const who = (headers: Headers) => cachedActor(db, auth, headers);
const role = (actor: Actor) => (actor.kind === "user" || actor.kind === "token" ? actor.role : actor.kind);

/** Resolves again until the answer changes from `before` (a notice is on its way), or a few seconds pass. */
async function whenChanged(headers: Headers, before: string): Promise<string> {
  const deadline = Date.now() + 5000;
  let now = role(await who(headers));
  while (now === before && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    now = role(await who(headers));
  }
  return now;
}

describe("a credential resolved for reads", () => {
  it("is resolved every time while the process hears no access notices", async () => {
    const { user, headers } = await signedIn();
    expect(role(await who(headers))).toBe("operator");
    // Changed behind the app's back, with no notice (the email has no trigger): seen at once, nothing was kept.
    await db.update(users).set({ email: "renamed-early@example.test" }).where(eq(users.id, user.id));
    const actor = await who(headers);
    expect(actor.kind === "user" && actor.email).toBe("renamed-early@example.test");
  });

  it("is reused once the process listens: a change without a notice is not seen at once", async () => {
    fresh = await keepActorsFresh(database.sql);
    const { user, email, headers } = await signedIn();
    expect(role(await who(headers))).toBe("operator");
    await db.update(users).set({ email: "renamed@example.test" }).where(eq(users.id, user.id));
    const actor = await who(headers);
    expect(actor.kind === "user" && actor.email).toBe(email);
  });

  it("is refused from the next request when this process signs it out or changes its role", async () => {
    const { user, headers } = await signedIn();
    expect(role(await who(headers))).toBe("operator");
    await changeRole(db, user.id, "viewer");
    expect(role(await who(headers))).toBe("viewer");

    const link = await createShareLink(db, (await seedRun(db)).id, user.id);
    const share = new Headers({ cookie: `${SHARE_COOKIE}=${link.token}` });
    expect(role(await who(share))).toBe("share");
    await revokeShareLink(db, link.id);
    expect(role(await who(share))).toBe("anonymous");

    const token = await createApiToken(db, user.id, "script");
    const bearer = new Headers({ authorization: `Bearer ${token.token}` });
    expect(role(await who(bearer))).toBe("viewer");
    await revokeApiToken(db, token.id, { id: user.id, isOwner: false });
    expect(role(await who(bearer))).toBe("anonymous");
  });

  it("is refused once another process's change is announced, long before the cache's own bound", async () => {
    const { user, headers } = await signedIn();
    expect(role(await who(headers))).toBe("operator");
    // Plain SQL, as another web node or `npm run admin` would: only the trigger's notice tells this process.
    await db.update(users).set({ role: "viewer" }).where(eq(users.id, user.id));
    expect(await whenChanged(headers, "operator")).toBe("viewer");
    await db.delete(sessions).where(eq(sessions.userId, user.id));
    expect(await whenChanged(headers, "viewer")).toBe("anonymous");

    const link = await createShareLink(db, (await seedRun(db)).id, user.id);
    const share = new Headers({ cookie: `${SHARE_COOKIE}=${link.token}` });
    expect(role(await who(share))).toBe("share");
    await db.update(shareLinks).set({ revokedAt: sql`now()` }).where(eq(shareLinks.id, link.id));
    expect(await whenChanged(share, "share")).toBe("anonymous");
  });

  it("is never kept past the credential's own expiry", async () => {
    const { user } = await signedIn();
    // A link made to expire in 1.5 s (an insert sends no notice): only its own expiry can end the kept entry.
    const link = await createShareLink(db, (await seedRun(db)).id, user.id, 1.5 / 86_400);
    const expiresAt = link.expiresAt;
    const share = new Headers({ cookie: `${SHARE_COOKIE}=${link.token}` });
    expect(role(await who(share))).toBe("share");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now()) + 50));
    expect(role(await who(share))).toBe("anonymous");
  });
});
