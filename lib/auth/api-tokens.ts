import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiTokens } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { forgetActors } from "./actor-cache";
import { hashToken, newToken } from "./tokens";

/** An API token acts as its user, with the user's role; shown once, stored hashed. */
export async function createApiToken(db: Db, userId: string, name: string) {
  const token = newToken("fm");
  const [row] = await db
    .insert(apiTokens)
    .values({ userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
    .returning({ id: apiTokens.id, createdAt: apiTokens.createdAt });
  return { id: row!.id, token, prefix: token.slice(0, 10), createdAt: row!.createdAt };
}

export async function listApiTokens(db: Db, userId: string) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
}

/** A user revokes their own tokens; an owner may revoke anyone's. */
export async function revokeApiToken(db: Db, id: string, actor: { id: string; isOwner: boolean }) {
  const owned = actor.isOwner ? undefined : eq(apiTokens.userId, actor.id);
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), owned))
    .returning({ id: apiTokens.id });
  if (!row) throw new AppError("not_found", "No such active token of yours.");
  forgetActors();
}
