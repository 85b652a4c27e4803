import { requireAccess } from "@/lib/auth/access";
import { parseWith, route, uuidParam } from "@/lib/http/route";
import { sharedSnapshotJson } from "@/lib/runs/shared-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  return new Response(await sharedSnapshotJson(getDb(), runId), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
});
