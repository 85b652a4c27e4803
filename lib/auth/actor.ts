import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiTokens, shareLinks, users } from "../../db/schema";
import type { Auth } from "./auth";
import type { Role } from "./roles";
import { hashToken } from "./tokens";

/** Who is calling, and through what (DESIGN.md §8: session, API token or share token). */
export type Actor =
  | { kind: "user"; id: string; email: string; role: Role }
  | { kind: "token"; id: string; email: string; role: Role; tokenId: string }
  | { kind: "share"; shareLinkId: string; runId: string }
  | { kind: "anonymous" };

export const SHARE_COOKIE = "foreman_share";

export async function resolveActor(db: Db, auth: Auth, headers: Headers): Promise<Actor> {
  return (await resolveActorUntil(db, auth, headers)).actor;
}

/** Who is calling, and until when their credential holds at most (null: no end of its own). */
export async function resolveActorUntil(db: Db, auth: Auth, headers: Headers): Promise<{ actor: Actor; expiresAt: Date | null }> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return { actor: match ? await actorFromApiToken(db, match[1]!) : { kind: "anonymous" }, expiresAt: null };
  }
  const session = await auth.api.getSession({ headers }).catch(() => null);
  if (session?.user) {
    const role = (session.user as { role?: Role }).role ?? "viewer";
    return { actor: { kind: "user", id: session.user.id, email: session.user.email, role }, expiresAt: new Date(session.session.expiresAt) };
  }
  const share = readCookie(headers.get("cookie"), SHARE_COOKIE);
  if (share) return await shareActorUntil(db, share);
  return { actor: { kind: "anonymous" }, expiresAt: null };
}

async function actorFromApiToken(db: Db, token: string): Promise<Actor> {
  const [row] = await db
    .select({ tokenId: apiTokens.id, userId: users.id, email: users.email, role: users.role, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt)));
  if (!row) return { kind: "anonymous" };
  // Recorded at most once a minute, so a busy script does not write on every call.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, row.tokenId));
  }
  return { kind: "token", id: row.userId, email: row.email, role: row.role, tokenId: row.tokenId };
}

export async function actorFromShareToken(db: Db, token: string): Promise<Actor> {
  return (await shareActorUntil(db, token)).actor;
}

async function shareActorUntil(db: Db, token: string): Promise<{ actor: Actor; expiresAt: Date | null }> {
  const [row] = await db
    .select({ id: shareLinks.id, runId: shareLinks.runId, expiresAt: shareLinks.expiresAt })
    .from(shareLinks)
    .where(and(eq(shareLinks.tokenHash, hashToken(token)), isNull(shareLinks.revokedAt), gt(shareLinks.expiresAt, sql`now()`)));
  return row ? { actor: { kind: "share", shareLinkId: row.id, runId: row.runId }, expiresAt: row.expiresAt } : { actor: { kind: "anonymous" }, expiresAt: null };
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    // A malformed value (`%ZZ`) is no credential: treated as absent, never an error.
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return null;
    }
  }
  return null;
}

/** For the audit log. */
export function auditActor(actor: Actor): { id: string | null; kind: "user" | "token" | "share" | "anonymous" } {
  switch (actor.kind) {
    case "user":
    case "token":
      return { id: actor.id, kind: actor.kind };
    case "share":
      return { id: actor.shareLinkId, kind: "share" };
    case "anonymous":
      return { id: null, kind: "anonymous" };
  }
}
