import "server-only";
import { createHash } from "node:crypto";
import type { Db, Sql } from "../../db/client";
import { ACCESS_CHANNEL } from "./access-notices";
import { type Actor, resolveActor, resolveActorUntil } from "./actor";
import type { Auth } from "./auth";

/** How long a resolved credential is reused at most, when no notice says it changed (the bound while notices are lost). */
export const ACTOR_CACHE_MS = 10_000;
/** Credentials kept at most; the oldest go first. */
const KEEP = 2000;
/** Longer credential headers are resolved every time (nobody's real cookie is this long). */
const MAX_KEY_CHARS = 16 * 1024;

type Entry = { actor: Actor; until: number };
type State = {
  /** By a hash of the request's credential headers. Oldest first. */
  entries: Map<string, Entry>;
  /** Only while the process hears access notices is anything kept. */
  listening: boolean;
  /** Bumped by every notice: a resolve that started before it is not kept. */
  generation: number;
};

// One cache for the whole web process: server.ts and Next's route bundles each load this module (see lib/server/context.ts).
const state = ((globalThis as { __foremanActors?: State }).__foremanActors ??= { entries: new Map(), listening: false, generation: 0 });

function credentialKey(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  const cookie = headers.get("cookie");
  if (!authorization && !cookie) return null;
  const material = `${authorization ?? ""}\n${cookie ?? ""}`;
  return material.length > MAX_KEY_CHARS ? null : createHash("sha256").update(material).digest("base64url");
}

/**
 * Who is calling, for reads: the same answer as `resolveActor`, reused for
 * up to ten seconds per credential. Every change that takes access away (a
 * session signed out or deleted, a user removed or re-roled, a token or
 * share link revoked) is announced by a database trigger on
 * `foreman_access`, and any notice empties the cache at once, so a revoked
 * credential is refused from the next request, as without the cache. A
 * credential is never kept past its own expiry, and nothing is kept while
 * the process is not listening for notices; if notices were lost while the
 * LISTEN connection was down, the ten seconds bound how long an entry lives.
 * Anonymous callers are resolved every time (they may have just signed in).
 */
export async function cachedActor(db: Db, auth: Auth, headers: Headers): Promise<Actor> {
  const key = state.listening ? credentialKey(headers) : null;
  if (!key) return resolveActor(db, auth, headers);
  const now = Date.now();
  const hit = state.entries.get(key);
  if (hit && hit.until > now) return hit.actor;
  const generation = state.generation;
  const { actor, expiresAt } = await resolveActorUntil(db, auth, headers);
  state.entries.delete(key);
  if (actor.kind !== "anonymous" && state.listening && generation === state.generation) {
    state.entries.set(key, { actor, until: Math.min(Date.now() + ACTOR_CACHE_MS, expiresAt?.getTime() ?? Number.POSITIVE_INFINITY) });
    for (const old of state.entries.keys()) {
      if (state.entries.size <= KEEP) break;
      state.entries.delete(old);
    }
  }
  return actor;
}

/**
 * Every kept credential is resolved again on its next use. Called on each
 * access notice, and right after this process itself revokes or changes a
 * credential (its own notice reaches it a moment later).
 */
export function forgetActors(): void {
  state.generation++;
  state.entries.clear();
}

/**
 * Keeps the cache honest for this process: listens on `foreman_access` and
 * forgets everything on each notice and on each (re)connection of the
 * LISTEN, when notices may have been missed. Until this runs, and after
 * `close`, nothing is cached.
 */
export async function keepActorsFresh(sql: Sql): Promise<{ close(): Promise<void> }> {
  const listening = await sql.listen(ACCESS_CHANNEL, forgetActors, () => {
    forgetActors();
    state.listening = true;
  });
  return {
    async close() {
      state.listening = false;
      forgetActors();
      await listening.unlisten();
    },
  };
}
