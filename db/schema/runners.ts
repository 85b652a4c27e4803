import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";

/** One row per runner process; `lastSeenAt` is its liveness. */
export const runners = pgTable("runners", {
  id: text().primaryKey(),
  hostname: text().notNull(),
  pid: integer().notNull(),
  version: text().notNull(),
  maxWorkers: integer().notNull(),
  startedAt: createdAt(),
  lastSeenAt: at().notNull().defaultNow(),
  stoppedAt: at(),
});
