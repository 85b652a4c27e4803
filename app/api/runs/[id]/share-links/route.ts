import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { createShareLink, listShareLinks } from "@/lib/share/share-links";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = route(async (request, { params }: Params) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "operator", mutation: false });
  return json({ shareLinks: await listShareLinks(getDb(), runId) });
});

/** A read-only link to this run (DESIGN.md §9); the URL is shown once. */
export const POST = route(async (request, { params }: Params) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const link = await createShareLink(getDb(), runId, auditActor(actor).id ?? "unknown");
  await recordAudit(getDb(), auditActor(actor), request, { action: "share_link.create", targetType: "share_link", targetId: link.id, runId });
  return json({ id: link.id, url: `${env().publicUrl}/s/${link.token}`, expiresAt: link.expiresAt }, { status: 201 });
});
