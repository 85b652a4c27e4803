import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { users } from "../../db/schema";

/** " by <email>" for a stored reason people read (never the user's id); "" when nobody is known. */
export async function byPerson(tx: Queryable, userId: string | null): Promise<string> {
  if (!userId) return "";
  const [row] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row ? ` by ${row.email}` : "";
}
