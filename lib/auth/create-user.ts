import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { accounts, users } from "../../db/schema";
import { AppError } from "../errors/app-error";
import type { Auth } from "./auth";
import type { Role } from "./roles";

/**
 * Creates an email + password account with the rows better-auth's adapter
 * would write (ids from its generator, the password hashed by its hasher), on
 * the caller's connection, so a link can be claimed and its account made in
 * one transaction. The users trigger (migration 0003) ends any setup link.
 */
export async function createUser(db: Queryable, auth: Auth, input: { email: string; name: string; password: string; role: Role }) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw new AppError("state_conflict", `An account for ${input.email} exists already; sign in instead.`);
  const ctx = await auth.$context;
  if (input.password.length < ctx.password.config.minPasswordLength) {
    throw new AppError("validation_failed", `password: must be at least ${ctx.password.config.minPasswordLength} characters.`);
  }
  const hash = await ctx.password.hash(input.password);
  const id = (model: "user" | "account") => ctx.generateId({ model }) || randomUUID();
  const [user] = await db
    .insert(users)
    .values({ id: id("user"), email: input.email, name: input.name, emailVerified: true, role: input.role })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email, name: users.name });
  // Race: the same email created between the check above and this insert.
  if (!user) throw new AppError("state_conflict", `An account for ${input.email} exists already; sign in instead.`);
  await db.insert(accounts).values({ id: id("account"), userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  return { id: user.id, email: user.email, name: user.name, role: input.role };
}
