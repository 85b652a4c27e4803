import { requireAccess } from "@/lib/auth/access";
import { parseWith, route, uuidParam } from "@/lib/http/route";
import { sharedSnapshot } from "@/lib/runs/shared-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** The run's snapshot (DESIGN.md §8), read once for the run's viewers at a time (lib/runs/shared-snapshot.ts). */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  const body = await sharedSnapshot(getDb(), runId);
  return new Response(body.json, { headers: { "content-type": "application/json", "cache-control": "no-store" } });
});
