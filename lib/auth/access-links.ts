import "server-only";
import { and, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { accessLinks, users } from "../../db/schema";
import { AppError } from "../http/app-error";
import type { Auth } from "./auth";
import { createUser } from "./create-user";
import type { Role } from "./roles";
import { hashToken, newToken } from "./tokens";

export const INVITE_DAYS = 7;

/**
 * The first start's setup link: made only while there is no user and no
 * unused setup link; valid until used. Returns null when not needed.
 */
export async function ensureSetupLink(db: Db): Promise<string | null> {
  return db.transaction(async (tx) => {
    // Race: two web nodes starting together would each mint a link.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('foreman_setup_link'))`);
    const [{ value: userCount } = { value: 0 }] = await tx.select({ value: count() }).from(users);
    if (userCount > 0) return null;
    // A fresh link each start: the old one's token was never stored, so it cannot be shown again.
    await tx.delete(accessLinks).where(and(eq(accessLinks.kind, "setup"), isNull(accessLinks.usedAt)));
    const token = newToken("fmi");
    await tx.insert(accessLinks).values({ kind: "setup", tokenHash: hashToken(token), role: "owner" });
    return token;
  });
}

export async function createInvite(db: Db, role: Role, createdBy: string) {
  const token = newToken("fmi");
  const expiresAt = new Date(Date.now() + INVITE_DAYS * 24 * 60 * 60_000);
  const [row] = await db
    .insert(accessLinks)
    .values({ kind: "invite", tokenHash: hashToken(token), role, createdBy, expiresAt })
    .returning({ id: accessLinks.id });
  return { id: row!.id, token, expiresAt };
}

/** Uses a setup or invite link once and creates the account it grants. */
export async function redeemAccessLink(
  db: Db,
  auth: Auth,
  kind: "setup" | "invite",
  input: { token: string; name: string; email: string; password: string },
) {
  // Claim first (guarded: unused and unexpired), so one link makes one account.
  const [claimed] = await db
    .update(accessLinks)
    .set({ usedAt: sql`now()`, usedBy: input.email })
    .where(
      and(
        eq(accessLinks.tokenHash, hashToken(input.token)),
        eq(accessLinks.kind, kind),
        isNull(accessLinks.usedAt),
        or(isNull(accessLinks.expiresAt), gt(accessLinks.expiresAt, sql`now()`)),
      ),
    )
    .returning({ id: accessLinks.id, role: accessLinks.role });
  if (!claimed) throw new AppError("forbidden", "This link is not valid any more (used, expired or revoked). Ask an owner for a new one.");
  try {
    return await createUser(db, auth, { ...input, role: claimed.role });
  } catch (error) {
    // Creating the account failed (e.g. the email exists): the link stays usable.
    await db.update(accessLinks).set({ usedAt: null, usedBy: null }).where(eq(accessLinks.id, claimed.id));
    throw error;
  }
}
