import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";
import { acceptTask } from "@/lib/tasks/hand-off-actions";
import { z } from "zod";

export const dynamic = "force-dynamic";

/** Accepts a task in review; the runner merges a local branch (202: the board shows the outcome). */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const taskId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  await readJson(request, z.object({}).strict());
  const { runId } = await acceptTask(getDb(), await getBoss(), taskId, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "task.accept", targetType: "task", targetId: taskId, runId });
  return json({ accepted: true }, { status: 202 });
});
