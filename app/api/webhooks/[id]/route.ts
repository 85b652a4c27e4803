import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { deleteWebhook } from "@/lib/notifications/webhook-endpoints";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const DELETE = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "viewer", mutation: true });
  const deleted = await deleteWebhook(getDb(), id, { id: actor.id, isOwner: actor.role === "owner" });
  await recordAudit(getDb(), auditActor(actor), request, { action: "webhook.delete", targetType: "webhook", targetId: id, details: { name: deleted.name, host: deleted.urlLabel } });
  return json({ deleted: true });
});
