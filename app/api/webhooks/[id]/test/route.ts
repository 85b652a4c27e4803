import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { queueTestDelivery } from "@/lib/notifications/webhook-endpoints";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Queues a test message to one of the caller's webhooks; the delivery log shows how it went. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "viewer", mutation: true });
  const queued = await queueTestDelivery(getDb(), id, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "webhook.test", targetType: "webhook", targetId: id, details: { name: queued.name } });
  return json({ deliveryId: queued.deliveryId }, { status: 202 });
});
