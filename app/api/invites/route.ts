import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { createInvite, listInvites } from "@/lib/auth/access-links";
import { auditActor } from "@/lib/auth/actor";
import { roleSchema } from "@/lib/auth/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { json, readJson, route } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Open invitations (not used, not expired): who made them, for which role, until when. */
export const GET = route(async (request) => {
  await requireAccess(request, { role: "owner", mutation: false });
  return json({ invites: await listInvites(getDb()) });
});

/** Owners invite people by link; the link is shown once and works once. */
export const POST = route(async (request) => {
  const actor = await requireAccess(request, { role: "owner", mutation: true });
  const { role } = await readJson(request, z.object({ role: roleSchema }).strict());
  const invite = await createInvite(getDb(), role, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "user.invite", targetType: "invite", targetId: invite.id, details: { role } });
  return json({ id: invite.id, url: `${env().publicUrl}/invite?token=${encodeURIComponent(invite.token)}`, role, expiresAt: invite.expiresAt }, { status: 201 });
});
