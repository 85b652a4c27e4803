import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";
import { users } from "./auth";
import { deliveryMoment, deliveryStatus, moment, webhookKind } from "./enums";
import { runs } from "./runs";
import { tasks } from "./tasks";

/**
 * A person's outgoing webhook: for every run they can see (`runId` null) or
 * for one run. The URL (a Slack webhook URL is itself a credential) and the
 * signing secret are sealed with FOREMAN_SECRET (lib/crypto/secrets.ts).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    runId: uuid().references(() => runs.id, { onDelete: "cascade" }),
    name: text().notNull(),
    kind: webhookKind().notNull(),
    urlSealed: text().notNull(),
    /** Scheme and host only, to tell endpoints apart without showing the URL's secret part. */
    urlLabel: text().notNull(),
    /** HMAC-SHA256 key of `json` endpoints; shown once at creation. */
    secretSealed: text(),
    moments: moment().array().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_user_idx").on(t.userId), index("webhook_endpoints_run_idx").on(t.runId)],
);

/**
 * One message to one endpoint. `dedupeKey` makes it once: an event recorded
 * twice, or questions asked together, are one delivery (`merged` counts them).
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    runId: uuid().references(() => runs.id, { onDelete: "cascade" }),
    taskId: uuid().references(() => tasks.id, { onDelete: "set null" }),
    moment: deliveryMoment().notNull(),
    dedupeKey: text().notNull(),
    /** The sentence the message says (names, never ids). */
    text: text().notNull(),
    merged: integer().notNull().default(1),
    status: deliveryStatus().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** Set once its job is queued (worker-runner/deliveries.ts). */
    queuedAt: at(),
    /** A sender holds the delivery until then; a crashed sender's hold runs out. */
    claimedUntil: at(),
    deliveredAt: at(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_dedupe_key").on(t.endpointId, t.dedupeKey),
    index("webhook_deliveries_unqueued_idx").on(t.createdAt).where(sql`${t.queuedAt} is null`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
  ],
);

/** Every try of a delivery: what the receiver answered, or why there was no answer. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    statusCode: integer(),
    error: text(),
    durationMs: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("webhook_attempts_delivery_number_key").on(t.deliveryId, t.number)],
);
