import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { AppError } from "../errors/app-error";
import { getRunSnapshot } from "./get-snapshot";

/** How long one read of a snapshot may serve others whose version matches: a bound on what the version cannot see. */
const REUSE_MS = 1000;

/** The snapshot as JSON text (200 tasks: ~250 KB). */
export type SnapshotBody = { json: string };

type Entry = { version: string; readAt: number; body: Promise<SnapshotBody> };

/** One entry per run viewed within the last REUSE_MS; older entries go as new ones come. */
const entries = new Map<string, Entry>();

/**
 * What a snapshot's content depends on, in one cheap query: the run's last
 * event (every status, question, plan, verification, heartbeat and token
 * change appends one), and the last write to the run, its tasks and its pull
 * requests (writes such as a hold reason that append no event).
 */
async function snapshotVersion(db: Queryable, runId: string): Promise<string> {
  const [row] = await db.execute<{ version: string | null }>(sql`
    select concat_ws(':',
      (select coalesce(max(seq), 0) from run_events where run_id = ${runId}),
      r.updated_at,
      (select max(updated_at) from tasks where run_id = ${runId}),
      (select max(updated_at) from pull_requests where run_id = ${runId})
    ) as version
    from runs r where r.id = ${runId}`);
  if (!row?.version) throw new AppError("not_found", "No such run.");
  return row.version;
}

/**
 * GET /api/runs/:id's body, as JSON text. Viewers of one run share reads: a
 * request whose version matches a read made (or under way) in the last
 * second gets that read's text, so ten viewers cost one read and one
 * serialization, not ten. (The server's compression still runs per response:
 * a body sent pre-compressed was compressed a second time.) A read starts after its version was taken, so it
 * is never older than the version it is filed under.
 */
export async function sharedSnapshot(db: Queryable, runId: string): Promise<SnapshotBody> {
  const version = await snapshotVersion(db, runId);
  const now = Date.now();
  const cached = entries.get(runId);
  if (cached && cached.version === version && now - cached.readAt < REUSE_MS) return cached.body;
  for (const [id, entry] of entries) if (now - entry.readAt >= REUSE_MS) entries.delete(id);
  const entry: Entry = { version, readAt: now, body: readBody(db, runId) };
  entries.set(runId, entry);
  // A failed read is not shared with later requests.
  entry.body.catch(() => {
    if (entries.get(runId) === entry) entries.delete(runId);
  });
  return entry.body;
}

async function readBody(db: Queryable, runId: string): Promise<SnapshotBody> {
  return { json: JSON.stringify(await getRunSnapshot(db, runId)) };
}
