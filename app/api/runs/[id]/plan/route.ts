import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { editPlan } from "@/lib/plans/decide-plan";
import { planEditInput } from "@/lib/plans/edit";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** The human's edit of the proposed plan (goals, scopes, dependencies, dropped tasks). */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const edit = await readJson(request, planEditInput);
  const result = await editPlan(getDb(), runId, edit, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "plan.edit", targetType: "run", targetId: runId, runId, details: { tasks: edit.tasks.map((t) => t.key) } });
  return json(result);
});
