import "server-only";
import { and, asc, count, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { forgetActors } from "./actor-cache";
import type { Role } from "./roles";

export async function listUsers(db: Db) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.createdAt));
}

/** Foreman always keeps at least one owner. */
async function assertAnotherOwner(db: Db, userId: string) {
  const [{ value } = { value: 0 }] = await db
    .select({ value: count() })
    .from(users)
    .where(and(eq(users.role, "owner"), ne(users.id, userId)));
  if (value === 0) throw new AppError("state_conflict", "This is the last owner; make someone else owner first.");
}

export async function changeRole(db: Db, userId: string, role: Role) {
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("not_found", "No such user.");
  if (user.role === "owner" && role !== "owner") await assertAnotherOwner(db, userId);
  await db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
  forgetActors();
  return { from: user.role, to: role };
}

/** Removes the account; its sessions and API tokens go with it (cascade). */
export async function removeUser(db: Db, userId: string) {
  const [user] = await db.select({ role: users.role, email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("not_found", "No such user.");
  if (user.role === "owner") await assertAnotherOwner(db, userId);
  await db.delete(sessions).where(eq(sessions.userId, userId));
  await db.delete(users).where(eq(users.id, userId));
  forgetActors();
  return user;
}
