import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs, shareLinks } from "../../db/schema";
import { forgetActors } from "../auth/actor-cache";
import { hashToken, newToken } from "../auth/tokens";
import { AppError } from "../errors/app-error";

export const SHARE_LINK_DAYS = 7;

/** A read-only capability URL for one run; the token is returned once, stored hashed. */
export async function createShareLink(db: Db, runId: string, createdBy: string, days = SHARE_LINK_DAYS) {
  const [run] = await db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
  if (!run) throw new AppError("not_found", "No such run.");
  const token = newToken("fms");
  const expiresAt = new Date(Date.now() + days * 24 * 60 * 60_000);
  const [row] = await db
    .insert(shareLinks)
    .values({ runId, tokenHash: hashToken(token), createdBy, expiresAt })
    .returning({ id: shareLinks.id });
  return { id: row!.id, token, expiresAt };
}

export async function listShareLinks(db: Db, runId: string) {
  return db
    .select({ id: shareLinks.id, createdBy: shareLinks.createdBy, createdAt: shareLinks.createdAt, expiresAt: shareLinks.expiresAt, revokedAt: shareLinks.revokedAt, lastUsedAt: shareLinks.lastUsedAt })
    .from(shareLinks)
    .where(eq(shareLinks.runId, runId))
    .orderBy(desc(shareLinks.createdAt));
}

/**
 * Revokes at once: the next request is refused, and the share_links trigger
 * announces it on `foreman_access` so every web node closes the link's sockets.
 */
export async function revokeShareLink(db: Db, id: string): Promise<{ runId: string }> {
  const revoked = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(shareLinks)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(shareLinks.id, id), isNull(shareLinks.revokedAt)))
      .returning({ runId: shareLinks.runId });
    if (!row) throw new AppError("not_found", "No such share link, or it was revoked already.");
    return row;
  });
  // This process refuses it from the next request on, before the trigger's notice comes back to it.
  forgetActors();
  return revoked;
}
