import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { approvePlan } from "@/lib/plans/decide-plan";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

const input = z.object({ version: z.number().int().min(0).optional() }).strict();

export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { version } = await readJson(request, input);
  await approvePlan(getDb(), await getBoss(), runId, actor.id, version);
  await recordAudit(getDb(), auditActor(actor), request, { action: "plan.approve", targetType: "run", targetId: runId, runId });
  return json({ approved: true });
});
