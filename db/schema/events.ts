import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { runs } from "./runs";
import { tasks } from "./tasks";

/** Append-only; everything the board shows derives from a snapshot plus these. */
export const runEvents = pgTable(
  "run_events",
  {
    seq: bigserial({ mode: "number" }).primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid().references(() => tasks.id, { onDelete: "cascade" }),
    type: text().notNull(),
    /** The event's fields without `type` (lib/events/types.ts); read a typed one with readEventPayload. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("run_events_run_seq_idx").on(t.runId, t.seq), index("run_events_task_seq_idx").on(t.taskId, t.seq)],
);
