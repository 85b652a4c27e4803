import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { revokeShareLink } from "@/lib/share/share-links";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const DELETE = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { runId } = await revokeShareLink(getDb(), id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "share_link.revoke", targetType: "share_link", targetId: id, runId });
  return json({ revoked: true });
});
