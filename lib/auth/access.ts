import "server-only";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { getAuth, getDb } from "../server/context";
import { type Actor, resolveActor } from "./actor";
import { cachedActor } from "./actor-cache";
import { allowedHosts, allowedOrigins } from "./hosts";
import { hasRole, type Role } from "./roles";

export type AccessRule = {
  /** The weakest role that may call. */
  role: Role;
  /** Changes state: Origin is checked (CSRF). */
  mutation: boolean;
  /** A share-link holder may read this run (read-only routes of one run only). */
  shareRunId?: string;
};

/**
 * Every route handler calls this itself (not only a proxy): Host, then Origin
 * for state changes, then who is calling, then their role.
 */
export type Member = Extract<Actor, { kind: "user" | "token" }>;

export async function requireAccess(request: Request, rule: AccessRule & { shareRunId?: undefined }): Promise<Member>;
export async function requireAccess(request: Request, rule: AccessRule): Promise<Exclude<Actor, { kind: "anonymous" }>>;
export async function requireAccess(request: Request, rule: AccessRule): Promise<Exclude<Actor, { kind: "anonymous" }>> {
  return requireAccessOf(request.headers, rule);
}

/** `requireAccess` for a request known by its headers alone (server.ts's own routes). */
export async function requireAccessOf(headers: Headers, rule: AccessRule): Promise<Exclude<Actor, { kind: "anonymous" }>> {
  checkHost(headers);
  const bearer = headers.has("authorization");
  if (rule.mutation) checkOrigin(headers, { bearer });
  // A read may reuse a credential resolved moments ago (revocations still apply at once: lib/auth/actor-cache.ts).
  const actor = await (rule.mutation ? resolveActor : cachedActor)(getDb(), getAuth(), headers);
  return checkActor(actor, rule);
}

export function checkActor(actor: Actor, rule: AccessRule): Exclude<Actor, { kind: "anonymous" }> {
  switch (actor.kind) {
    case "anonymous":
      throw new AppError("unauthenticated", "Sign in first, or send an API token as `Authorization: Bearer <token>`.");
    case "share":
      if (rule.mutation || !rule.shareRunId || rule.shareRunId !== actor.runId) {
        throw new AppError("forbidden", "A share link shows its one run, read-only; it cannot do this.");
      }
      return actor;
    case "user":
    case "token":
      if (!hasRole(actor.role, rule.role)) throw new AppError("forbidden", `This needs the ${rule.role} role; you are ${actor.role}.`);
      return actor;
  }
}

export function checkHost(headers: Headers): void {
  const host = headers.get("host")?.toLowerCase();
  if (!host || !allowedHosts(env()).has(host)) {
    throw new AppError("forbidden", "Unknown Host header. Reach Foreman through FOREMAN_PUBLIC_URL.");
  }
}

/**
 * Browsers send Origin on every cross-site and same-site POST; a request with a
 * session cookie and no Origin is refused too. API tokens are not sent by
 * browsers on their own, so token calls (scripts, curl) may omit it.
 */
export function checkOrigin(headers: Headers, options: { bearer: boolean }): void {
  const origin = headers.get("origin");
  if (origin === null) {
    if (options.bearer) return;
    throw new AppError("forbidden", "Missing Origin header on a state-changing request.");
  }
  if (!allowedOrigins(env()).has(origin)) throw new AppError("forbidden", `Cross-origin request from ${origin} refused.`);
}
