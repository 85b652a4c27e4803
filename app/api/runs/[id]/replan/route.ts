import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { requestReplan } from "@/lib/plans/decide-plan";
import { replanInput } from "@/lib/plans/edit";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Sends the proposed plan back to the manager with the human's comment. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { comment } = await readJson(request, replanInput);
  await requestReplan(getDb(), await getBoss(), runId, comment, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "plan.replan", targetType: "run", targetId: runId, runId, details: { comment } });
  return json({ replanning: true }, { status: 202 });
});
