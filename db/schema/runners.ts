import { customType, integer, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";

/**
 * One row per runner process. Its liveness is a lease (`leaseExpiresAt`,
 * renewed every few seconds); once it has expired, another runner takes the
 * runner's attempts over and records itself in `takenOverBy`: from then on the
 * old runner may renew nothing and write nothing for those attempts (fencing).
 */
export const runners = pgTable("runners", {
  id: text().primaryKey(),
  hostname: text().notNull(),
  pid: integer().notNull(),
  version: text().notNull(),
  maxWorkers: integer().notNull(),
  /** How the runner contains workers (DESIGN.md §9): "bwrap", "off" (the owner's choice) or "unavailable" (workers refused). */
  containment: text({ enum: ["bwrap", "off", "unavailable"] }).notNull().default("bwrap"),
  /** Why, when not "bwrap": shown on every page. */
  containmentNote: text(),
  /** Why this runner has no usable model (lib/model-check.ts), with the fix; null when it has one. Shown on every page. */
  modelNote: text(),
  startedAt: createdAt(),
  lastSeenAt: at().notNull().defaultNow(),
  leaseExpiresAt: at().notNull().defaultNow(),
  takenOverAt: at(),
  takenOverBy: text(),
  /** Why this runner was started: set when a supervisor restarted a runner that crashed (shown on every page for a while). */
  restartNote: text(),
  stoppedAt: at(),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * Codex threads kept where every runner can reach them: the thread's rollout
 * (gzipped), saved by the runner that ran its last turn and restored into
 * another runner's CODEX_HOME before that runner resumes it (DESIGN.md §2:
 * a thread moves with its work, whichever host takes the next turn).
 */
export const codexThreads = pgTable("codex_threads", {
  threadId: text().primaryKey(),
  /** The CODEX_HOME it belongs to: "task-<id>" or "run-<id>". */
  home: text().notNull(),
  /** The rollout's path inside that home (sessions/YYYY/MM/DD/rollout-…jsonl). */
  relativePath: text().notNull(),
  /** Uncompressed size: rollouts only grow, so the larger copy is the newer one. */
  bytes: integer().notNull(),
  content: bytea().notNull(),
  savedBy: text().notNull(),
  savedAt: at().notNull().defaultNow(),
});
