import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { cancelRun } from "@/lib/runs/control-run";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Ends the run and its open tasks and interrupts its turns; worktrees and branches are kept. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { cancelledTasks } = await cancelRun(getDb(), runId, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.cancel", targetType: "run", targetId: runId, runId });
  return json({ status: "cancelled", cancelledTasks });
});
