import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { roleSchema } from "@/lib/auth/schema";
import { changeRole, removeUser } from "@/lib/auth/users";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
const userId = z.string().min(1).max(100);

export const PATCH = route(async (request, { params }: Params) => {
  const id = parseWith(userId, (await params).id);
  const actor = await requireAccess(request, { role: "owner", mutation: true });
  const { role } = await readJson(request, z.object({ role: roleSchema }).strict());
  const change = await changeRole(getDb(), id, role);
  await recordAudit(getDb(), auditActor(actor), request, { action: "user.change_role", targetType: "user", targetId: id, details: change });
  return json({ id, role });
});

export const DELETE = route(async (request, { params }: Params) => {
  const id = parseWith(userId, (await params).id);
  const actor = await requireAccess(request, { role: "owner", mutation: true });
  const removed = await removeUser(getDb(), id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "user.remove", targetType: "user", targetId: id, details: { email: removed.email } });
  return json({ removed: true });
});
