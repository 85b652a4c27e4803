import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { AppError } from "../http/app-error";
import type { Auth } from "./auth";
import type { Role } from "./roles";

/**
 * Creates an email + password account through better-auth's own adapter, so
 * the password is hashed and stored exactly as sign-in expects.
 */
export async function createUser(db: Db, auth: Auth, input: { email: string; name: string; password: string; role: Role }) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw new AppError("state_conflict", `An account for ${input.email} exists already; sign in instead.`);
  const ctx = await auth.$context;
  if (input.password.length < ctx.password.config.minPasswordLength) {
    throw new AppError("validation_failed", `password: must be at least ${ctx.password.config.minPasswordLength} characters.`);
  }
  const hash = await ctx.password.hash(input.password);
  const user = await ctx.internalAdapter.createUser(
    { email: input.email, name: input.name, emailVerified: true, role: input.role },
    { method: "admin" },
  );
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: hash });
  return { id: user.id, email: user.email, name: user.name, role: input.role };
}
