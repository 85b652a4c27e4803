import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { json, parseWith, readJson, route, uuidParam } from "@/lib/http/route";
import { setTokenBudget } from "@/lib/runs/token-budget";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

const budgetInput = z.object({ tokenBudget: z.number().int().min(0).nullable() }).strict();

/** Sets the run's token budget; a run the budget paused resumes when the new one leaves room. */
export const POST = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const { tokenBudget } = await readJson(request, budgetInput);
  const { resumed } = await setTokenBudget(getDb(), await getBoss(), runId, tokenBudget, actor.id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.budget", targetType: "run", targetId: runId, runId, details: { tokenBudget } });
  return json({ tokenBudget, resumed });
});
