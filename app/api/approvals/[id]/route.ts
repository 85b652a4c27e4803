import { decideApproval, decideApprovalInput } from "@/lib/approvals/decide-approval";
import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Approves or declines a pending architecture change a PR reviewer asked for. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const approvalId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const input = await readJson(request, decideApprovalInput);
  const result = await decideApproval(getDb(), await getBoss(), approvalId, input, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: `approval.${input.decision}`, targetType: "approval", targetId: approvalId, runId: result.runId, details: { note: input.note ?? null } });
  return json(result);
});
