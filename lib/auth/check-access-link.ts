import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { accessLinks, users } from "../../db/schema";
import { hashToken } from "./tokens";

/** Real tokens are 47 characters; anything much longer is not one of ours. */
const MAX_TOKEN_CHARS = 200;

export type AccessLinkState = "open" | "used" | "expired" | "unknown" | "account_exists";

/**
 * What a setup or invite link's page should say before anyone fills its form:
 * `open` links show the form; the others say at once why they will not work.
 * Only reads; redeeming (redeemAccessLink) decides again under its row lock.
 * `unknown` covers revoked invitations (deleted) and setup links replaced by a
 * newer start or removed when the first account was made.
 */
export async function checkAccessLink(db: Db, kind: "setup" | "invite", token: string, now = new Date()): Promise<AccessLinkState> {
  if (token.length > MAX_TOKEN_CHARS) return "unknown";
  if (kind === "setup") {
    const [{ value } = { value: 0 }] = await db.select({ value: count() }).from(users);
    if (value > 0) return "account_exists";
  }
  const [link] = await db
    .select({ usedAt: accessLinks.usedAt, expiresAt: accessLinks.expiresAt })
    .from(accessLinks)
    .where(and(eq(accessLinks.tokenHash, hashToken(token)), eq(accessLinks.kind, kind)));
  if (!link) return "unknown";
  if (link.usedAt) return "used";
  if (link.expiresAt && link.expiresAt <= now) return "expired";
  return "open";
}
