import "server-only";
import { and, count, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { accessLinks, users } from "../../db/schema";
import { AppError } from "../errors/app-error";
import type { Auth } from "./auth";
import { createUser } from "./create-user";
import { hasRole, type Role } from "./roles";
import { hashToken, newToken } from "./tokens";

export const INVITE_DAYS = 7;
/** A setup link is printed at start and lives this long; the next start prints a new one. */
export const SETUP_LINK_MINUTES = 60;

/**
 * The start's setup link: made only while there is no user; it expires after
 * SETUP_LINK_MINUTES, and any account made by any path deletes it (users
 * trigger). Returns null when not needed.
 */
export async function ensureSetupLink(db: Db): Promise<{ token: string; expiresAt: Date } | null> {
  return db.transaction(async (tx) => {
    // Race: two web nodes starting together would each mint a link.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('foreman_setup_link'))`);
    const [{ value: userCount } = { value: 0 }] = await tx.select({ value: count() }).from(users);
    if (userCount > 0) return null;
    // A fresh link each start: the old one's token was never stored, so it cannot be shown again.
    await tx.delete(accessLinks).where(eq(accessLinks.kind, "setup"));
    const token = newToken("fmi");
    const expiresAt = new Date(Date.now() + SETUP_LINK_MINUTES * 60_000);
    await tx.insert(accessLinks).values({ kind: "setup", tokenHash: hashToken(token), role: "owner", expiresAt });
    return { token, expiresAt };
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

/** Invitations not used and not expired, with who made them, for the Users page. */
export async function listInvites(db: Db) {
  return db
    .select({ id: accessLinks.id, role: accessLinks.role, createdAt: accessLinks.createdAt, expiresAt: accessLinks.expiresAt, createdById: accessLinks.createdBy, createdByName: users.name, createdByEmail: users.email })
    .from(accessLinks)
    .leftJoin(users, eq(users.id, accessLinks.createdBy))
    .where(and(eq(accessLinks.kind, "invite"), isNull(accessLinks.usedAt), gt(accessLinks.expiresAt, sql`now()`)))
    .orderBy(desc(accessLinks.createdAt));
}

/** Revoking deletes the invitation: its link answers like any unknown link from then on. */
export async function revokeInvite(db: Db, id: string) {
  const [row] = await db
    .delete(accessLinks)
    .where(and(eq(accessLinks.id, id), eq(accessLinks.kind, "invite"), isNull(accessLinks.usedAt)))
    .returning({ id: accessLinks.id, role: accessLinks.role });
  if (!row) throw new AppError("not_found", "No such open invitation (used, revoked, or never made).");
  return row;
}

/** Only owners invite; an invitation is worth what its creator may still grant. */
export function mayGrant(creatorRole: Role | null, role: Role): boolean {
  return creatorRole !== null && hasRole(creatorRole, "owner") && hasRole(creatorRole, role);
}

const NOT_VALID = "This link is not valid any more (used, expired or revoked). Ask an owner for a new one.";

/**
 * Uses a setup or invite link once and creates the account it grants, all in
 * one transaction: the claim, the checks (a setup link only while no account
 * exists; an invitation only while its creator may grant its role) and the
 * account stand or fall together.
 */
export async function redeemAccessLink(
  db: Db,
  auth: Auth,
  kind: "setup" | "invite",
  input: { token: string; name: string; email: string; password: string },
) {
  return db.transaction(async (tx) => {
    // Race: two redeems of one link; the row lock taken here makes the second find it used.
    const [claimed] = await tx
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
      .returning({ id: accessLinks.id, role: accessLinks.role, createdBy: accessLinks.createdBy });
    if (!claimed) throw new AppError("forbidden", NOT_VALID);
    if (kind === "setup") {
      // Race: an account made by another path (`npm run admin`) since the link was printed.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('foreman_setup_link'))`);
      const [{ value } = { value: 0 }] = await tx.select({ value: count() }).from(users);
      if (value > 0) throw new AppError("forbidden", "An account exists already, so the setup link no longer works. Sign in, or ask an owner for an invitation.");
    } else {
      // Race: the creator demoted or removed after inviting; lock their row so it cannot change under us.
      const [creator] = claimed.createdBy
        ? await tx.select({ role: users.role }).from(users).where(eq(users.id, claimed.createdBy)).for("share")
        : [];
      if (!mayGrant(creator?.role ?? null, claimed.role)) {
        throw new AppError("forbidden", `The person who made this invitation can no longer grant the ${claimed.role} role. Ask a current owner for a new one.`);
      }
    }
    return createUser(tx, auth, { ...input, role: claimed.role });
  });
}
