import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";
import { rejectInput, rejectTask } from "@/lib/tasks/hand-off-actions";

export const dynamic = "force-dynamic";

/** Rejects a task in review with a reason: a follow-up on the same thread reworks it. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const taskId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { reason } = await readJson(request, rejectInput);
  const { runId, attempt } = await rejectTask(getDb(), await getBoss(), taskId, reason, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "task.reject", targetType: "task", targetId: taskId, runId, details: { reason, attempt } });
  return json({ attempt }, { status: 202 });
});
