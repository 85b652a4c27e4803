import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "../auth/actor";
import { cachedActor } from "../auth/actor-cache";
import { hasRole, type Role } from "../auth/roles";
import { getAuth, getDb } from "./context";

/** Who is looking at this page: resolved once per request, however many of its layout, title and page ask. */
export const pageActor = cache(async (): Promise<Actor> => {
  // Reading the headers first marks the page dynamic before any database handle is made.
  const requestHeaders = new Headers(await headers());
  // Pages only read: a credential resolved moments ago is reused (lib/auth/actor-cache.ts).
  return cachedActor(getDb(), getAuth(), requestHeaders);
});

export type PageMember = Extract<Actor, { kind: "user" | "token" }>;

/**
 * Pages check access themselves (not only a proxy): anonymous visitors go to
 * sign-in and come back; a signed-in user without the role gets `null` so the
 * page can say what is missing.
 */
export async function requirePageMember(role: Role, returnTo: string): Promise<PageMember | null> {
  const actor = await pageActor();
  if (actor.kind === "anonymous" || actor.kind === "share") redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return hasRole(actor.role, role) ? actor : null;
}
