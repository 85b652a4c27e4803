import { requireAccess } from "@/lib/auth/access";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getRunSnapshot } from "@/lib/runs/get-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  return json(await getRunSnapshot(getDb(), runId));
});
