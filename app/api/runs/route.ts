import { recordAudit } from "@/lib/audit/record-audit";
import { json, readJson, route } from "@/lib/http/route";
import { createRun } from "@/lib/runs/create-run";
import { listRuns } from "@/lib/runs/list-runs";
import { createRunInput } from "@/lib/runs/schema";
import { anonymousActor } from "@/lib/server/actor";
import { getBoss, getDb } from "@/lib/server/context";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = route(async () => json({ runs: await listRuns(getDb()) }));

export const POST = route(async (request) => {
  const input = await readJson(request, createRunInput);
  const actor = anonymousActor();
  const { id } = await createRun(getDb(), await getBoss(), input, actor.id);
  await recordAudit(getDb(), actor, request, { action: "run.create", targetType: "run", targetId: id, runId: id });
  return json({ id, url: `${env().publicUrl}/runs/${id}` }, { status: 201 });
});
