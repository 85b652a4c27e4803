import { bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, createdAt } from "./columns";
import { users } from "./auth";
import { runs } from "./runs";


export const shareLinks = pgTable(
  "share_links",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** SHA-256 of the ≥128-bit token; the token itself is never stored. */
    tokenHash: text().notNull(),
    createdBy: text(),
    expiresAt: at().notNull(),
    revokedAt: at(),
    lastUsedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("share_links_token_hash_key").on(t.tokenHash), index("share_links_run_idx").on(t.runId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** SHA-256 of the token; shown once at creation, never stored in clear. */
    tokenHash: text().notNull(),
    /** First characters, to tell tokens apart in a list. */
    prefix: text().notNull(),
    lastUsedAt: at(),
    revokedAt: at(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId)],
);

/** Every human action: who, what, when, from where. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    actorId: text(),
    actorKind: text().notNull(),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    runId: uuid().references(() => runs.id, { onDelete: "set null" }),
    ip: text(),
    userAgent: text(),
    details: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt), index("audit_log_run_idx").on(t.runId)],
);
