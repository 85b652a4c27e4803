import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";
import { mergeTask } from "@/lib/tasks/hand-off-actions";
import { z } from "zod";

export const dynamic = "force-dynamic";

/** Merges a task's PR (green CI, approved or allowed) or its local branch; 409 says why not. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const taskId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  await readJson(request, z.object({}).strict());
  const { runId, via } = await mergeTask(getDb(), await getBoss(), taskId, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "task.merge", targetType: "task", targetId: taskId, runId, details: { via } });
  return json({ merging: true, via }, { status: 202 });
});
