import { requireAccess } from "@/lib/auth/access";
import { auditActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { env } from "@/lib/env";
import { json, readJson, route } from "@/lib/http/route";
import { createRun } from "@/lib/runs/create-run";
import { listRuns } from "@/lib/runs/list-runs";
import { createRunInput } from "@/lib/runs/schema";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request) => {
  await requireAccess(request, { role: "viewer", mutation: false });
  return json({ runs: await listRuns(getDb()) });
});

export const POST = route(async (request) => {
  const actor = await requireAccess(request, { role: "operator", mutation: true });
  const input = await readJson(request, createRunInput);
  const { id } = await createRun(getDb(), await getBoss(), input, auditActor(actor).id);
  await recordAudit(getDb(), auditActor(actor), request, { action: "run.create", targetType: "run", targetId: id, runId: id });
  return json({ id, url: `${env().publicUrl}/runs/${id}` }, { status: 201 });
});
