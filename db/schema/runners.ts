import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";

/** One row per runner process; `lastSeenAt` is its liveness. */
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
  stoppedAt: at(),
});
