import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { AppError } from "../errors/app-error";
import { getRunSnapshot, type RunSnapshot } from "./get-snapshot";

/** Runs whose last read is kept (200 tasks: ~260 KB of JSON each, kept twice: as text and as bytes). */
const KEEP_RUNS = 40;
/** An entry nobody asked for in this long is dropped. */
const IDLE_MS = 5 * 60_000;

/** One read of a run's snapshot, with its JSON as text and as bytes: each made once, not per viewer. */
export type SharedSnapshot = {
  snapshot: RunSnapshot;
  json: string;
  bytes: Buffer;
};

type Entry = { version: string; usedAt: number; read: Promise<SharedSnapshot> };

type Flight = { query: Promise<string>; waiting: Promise<string> | null };

/**
 * One store for the whole web process: server.ts (GET /api/runs/:id) and Next's page bundle each load this module
 * (see lib/server/context.ts). `entries`: most recently used last; the oldest go first past KEEP_RUNS. `flights`:
 * each run's version query in flight, and the one that starts after it for whoever came meanwhile.
 */
type Store = { entries: Map<string, Entry>; flights: Map<string, Flight> };
const { entries, flights } = ((globalThis as { __foremanSnapshots?: Store }).__foremanSnapshots ??= { entries: new Map(), flights: new Map() });

/**
 * What the snapshot of a run is made of, named exactly, in one query: its
 * last event, and for every row it reads (the run and its repository, the
 * run's tasks, attempts, questions, approvals, heartbeats, pull requests,
 * verifications and reports) the row's id and the transaction that wrote it
 * (`xmin`). An insert adds a pair, a delete removes one, and an update
 * writes a new row version with a new `xmin`: any committed write changes
 * the version, with or without an event or an `updated_at`. Events are
 * appended under the run's row lock, so their seq order is commit order.
 */
async function snapshotVersion(db: Queryable, runId: string): Promise<string> {
  const rows = (table: string, where: string) =>
    sql.raw(`(select string_agg(t.id::text || '@' || t.xmin::text, ',' order by t.id) from ${table} t where ${where})`);
  const byRun = (table: string) => rows(table, `t.run_id = r.id`);
  const [row] = await db.execute<{ version: string | null }>(sql`
    select concat_ws(':',
      (select coalesce(max(seq), 0) from run_events where run_id = r.id),
      md5(concat_ws('|', r.xmin::text, p.xmin::text,
        ${byRun("tasks")}, ${byRun("attempts")}, ${byRun("questions")}, ${byRun("approvals")},
        ${byRun("heartbeats")}, ${byRun("pull_requests")}, ${byRun("reports")},
        ${rows("verifications", "t.task_id in (select id from tasks where run_id = r.id)")}))
    ) as version
    from runs r join repositories p on p.id = r.repository_id
    where r.id = ${runId}`);
  if (!row?.version) throw new AppError("not_found", "No such run.");
  return row.version;
}

const ignore = () => {};

/**
 * The run's version as of a moment after this call: viewers who ask while a
 * version query is in flight (it started before they asked, so its answer
 * may miss a write they know of) share the next one, which starts as soon
 * as that one is done. Ten viewers asking at once cost two queries, not ten.
 */
function freshVersion(db: Queryable, runId: string): Promise<string> {
  const flight = flights.get(runId);
  if (!flight) return launchVersion(db, runId);
  return (flight.waiting ??= flight.query.then(ignore, ignore).then(() => launchVersion(db, runId)));
}

function launchVersion(db: Queryable, runId: string): Promise<string> {
  const flight: Flight = { query: snapshotVersion(db, runId), waiting: null };
  flights.set(runId, flight);
  // Done: gone, unless viewers wait for the next query (which takes its place).
  void flight.query.then(ignore, ignore).then(() => {
    if (flights.get(runId) === flight && !flight.waiting) flights.delete(runId);
  });
  return flight.query;
}

/**
 * A run's snapshot, shared by everyone who reads the same version of it: the
 * API's body (GET /api/runs/:id) and the run page's first render. Ten viewers
 * of an unchanged run cost one or two version queries and one read in all. A
 * read starts after its version was taken, so it is never older than the
 * version it is filed under; a request whose version differs (anything was
 * written since) reads again.
 */
export async function sharedSnapshot(db: Queryable, runId: string): Promise<SharedSnapshot> {
  const version = await freshVersion(db, runId);
  const now = Date.now();
  const cached = entries.get(runId);
  entries.delete(runId);
  if (cached && cached.version === version) {
    entries.set(runId, { ...cached, usedAt: now });
    return cached.read;
  }
  const entry: Entry = { version, usedAt: now, read: read(db, runId) };
  entries.set(runId, entry);
  for (const [id, other] of entries) if (entries.size > KEEP_RUNS || now - other.usedAt > IDLE_MS) entries.delete(id);
  // A failed read is not shared with later requests.
  entry.read.catch(() => {
    if (entries.get(runId) === entry) entries.delete(runId);
  });
  return entry.read;
}

async function read(db: Queryable, runId: string): Promise<SharedSnapshot> {
  const snapshot = await getRunSnapshot(db, runId);
  const json = JSON.stringify(snapshot);
  return { snapshot, json, bytes: Buffer.from(json) };
}
