import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { users } from "../../db/schema";

/**
 * The name people know a user by (their name, else their email), for text
 * people read; rows and events store the user's id. Null when nobody is known.
 */
export async function personName(tx: Queryable, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
  return row ? row.name.trim() || row.email : null;
}

/** " by <name>" for a stored reason people read (never the user's id); "" when nobody is known. */
export async function byPerson(tx: Queryable, userId: string | null): Promise<string> {
  const name = await personName(tx, userId);
  return name ? ` by ${name}` : "";
}
