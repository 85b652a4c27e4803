import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";
import { retryTask } from "@/lib/tasks/retry-task";

export const dynamic = "force-dynamic";

export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const taskId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { attempt, runId } = await retryTask(getDb(), await getBoss(), taskId, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "task.retry", targetType: "task", targetId: taskId, runId, details: { attempt } });
  return json({ attempt }, { status: 202 });
});
