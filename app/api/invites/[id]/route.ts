import { requireAccess } from "@/lib/auth/access";
import { revokeInvite } from "@/lib/auth/access-links";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Revokes an open invitation: its link is refused from now on. */
export const DELETE = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "owner", mutation: true });
  const revoked = await revokeInvite(getDb(), id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "user.revoke_invite", targetType: "invite", targetId: id, details: { role: revoked.role } });
  return json({ revoked: true });
});
