import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync, gzip } from "node:zlib";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { codexThreads } from "../../db/schema";
import { readInside, writeInside } from "../contain/safe-paths";
import { findRollout, rolloutSize } from "./rollout-calls";

const compress = promisify(gzip);

/** Threads whose last saved size this process remembers (the oldest are forgotten first). */
const REMEMBERED_THREADS = 1000;
/** The size of each thread's rollout as this process last saved it: an unchanged rollout is not read or sent again. */
const savedBytes = new Map<string, number>();

/** A rollout larger than this (compressed) is not shared: the thread then stays on its host. */
const MAX_STORED_BYTES = 64 * 1024 * 1024;

/**
 * Codex keeps a thread in its CODEX_HOME's `sessions/` as one append-only
 * rollout file; `codex exec resume` needs it there. Runners on other hosts
 * (another FOREMAN_DATA_DIR) get it from PostgreSQL: the runner that ran a
 * turn saves the rollout (during the turn too, so a runner killed mid-turn
 * loses little), and the runner that resumes the thread restores it first
 * when its own copy is missing or shorter.
 */
export async function saveThread(db: Db, input: { codexHome: string; threadId: string; runnerId: string }): Promise<void> {
  const file = findRollout(input.codexHome, input.threadId);
  if (!file) return;
  // Rollouts only grow: one this process already saved at this size has nothing new (a turn waiting on its model).
  if (savedBytes.get(input.threadId) === rolloutSize(file)) return;
  // Read through no link the agent may have planted in its (writable) home: never a host file into the database.
  const raw = readInside(input.codexHome, path.relative(input.codexHome, file));
  if (!raw) return;
  // Off the event loop: a runner with 32 workers compresses a rollout every few seconds, while other workers'
  // transactions hold their run's lock waiting for this loop to carry them on.
  const content = await compress(raw);
  if (content.length > MAX_STORED_BYTES) return;
  const row = {
    threadId: input.threadId,
    home: path.basename(input.codexHome),
    relativePath: path.relative(input.codexHome, file),
    bytes: raw.length,
    content,
    savedBy: input.runnerId,
  };
  // A slower writer's shorter copy never replaces a longer one (rollouts only grow).
  await db
    .insert(codexThreads)
    .values(row)
    .onConflictDoUpdate({
      target: codexThreads.threadId,
      set: { relativePath: row.relativePath, bytes: row.bytes, content: row.content, savedBy: row.savedBy, savedAt: sql`now()` },
      setWhere: sql`${codexThreads.bytes} <= ${row.bytes}`,
    });
  savedBytes.delete(input.threadId);
  savedBytes.set(input.threadId, raw.length);
  if (savedBytes.size > REMEMBERED_THREADS) savedBytes.delete(savedBytes.keys().next().value!);
}

/** Puts the stored rollout into `codexHome` when this host's copy is missing or shorter; says whether it did. */
export async function restoreThread(db: Db, input: { codexHome: string; threadId: string }): Promise<boolean> {
  const local = findRollout(input.codexHome, input.threadId);
  const [stored] = await db
    .select({ bytes: codexThreads.bytes, relativePath: codexThreads.relativePath, home: codexThreads.home })
    .from(codexThreads)
    .where(eq(codexThreads.threadId, input.threadId));
  if (!stored || stored.home !== path.basename(input.codexHome) || stored.bytes <= rolloutSize(local)) return false;
  const relative = path.normalize(stored.relativePath);
  if (path.isAbsolute(relative) || relative.startsWith("..") || !relative.startsWith(`sessions${path.sep}`)) return false;
  const [row] = await db.select({ content: codexThreads.content }).from(codexThreads).where(eq(codexThreads.threadId, input.threadId));
  if (!row) return false;
  // Written before codex starts, through no link planted in the home (PlantedLink otherwise).
  writeInside(input.codexHome, local ? path.relative(input.codexHome, local) : relative, gunzipSync(row.content));
  return true;
}

/** Saves the rollout at most every `everyMs` while a turn runs (and once more at the end, by the caller). */
export function throttledSave(db: Db, input: { codexHome: string; runnerId: string }, everyMs = 5_000) {
  let last = 0;
  let running: Promise<void> | null = null;
  return (threadId: string | null) => {
    if (!threadId || running || Date.now() - last < everyMs) return;
    last = Date.now();
    running = saveThread(db, { ...input, threadId })
      .catch(() => {})
      .finally(() => (running = null));
  };
}

