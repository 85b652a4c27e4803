import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { resumeRun } from "@/lib/runs/control-run";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Continues each interrupted thread and schedules again. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { resumed } = await resumeRun(getDb(), await getBoss(), runId, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.resume", targetType: "run", targetId: runId, runId });
  return json({ status: "running", resumed });
});
