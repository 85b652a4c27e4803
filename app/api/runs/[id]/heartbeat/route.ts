import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { requestHeartbeat } from "@/lib/runs/request-heartbeat";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** "Check now". */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const result = await requestHeartbeat(getDb(), await getBoss(), runId);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.heartbeat", targetType: "run", targetId: runId, runId });
  return json({ queued: result.jobId !== null }, { status: 202 });
});
