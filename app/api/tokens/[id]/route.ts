import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const DELETE = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "viewer", mutation: true });
  await revokeApiToken(getDb(), id, { id: actor.id, isOwner: actor.role === "owner" });
  await recordAudit(getDb(), auditActor(actor), request, { action: "api_token.revoke", targetType: "api_token", targetId: id });
  return json({ revoked: true });
});
