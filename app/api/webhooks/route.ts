import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { json, readJson, route } from "@/lib/http/route";
import { createWebhookInput } from "@/lib/notifications/schema";
import { createWebhook, listWebhooks } from "@/lib/notifications/webhook-endpoints";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** The caller's outgoing webhooks (never their URLs or secrets). */
export const GET = route(async (request) => {
  const actor = await requireAccess(request, { role: "viewer", mutation: false });
  return json({ webhooks: await listWebhooks(getDb(), actor.id) });
});

/** A new webhook for every run the caller can see, or for one run; a JSON endpoint's signing secret is shown once. */
export const POST = route(async (request) => {
  const actor = await requireAccess(request, { role: "viewer", mutation: true });
  const input = await readJson(request, createWebhookInput);
  const created = await createWebhook(getDb(), actor.id, input, env().secret);
  await recordAudit(getDb(), auditActor(actor), request, {
    action: "webhook.create",
    targetType: "webhook",
    targetId: created.id,
    runId: input.runId,
    details: { name: input.name, kind: input.kind, host: created.urlLabel, moments: input.moments },
  });
  return json(created, { status: 201 });
});
