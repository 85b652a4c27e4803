import { requireAccess } from "@/lib/auth/access";
import { parseWith, route, uuidParam } from "@/lib/http/route";
import { sharedSnapshot } from "@/lib/runs/shared-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** The run's snapshot (DESIGN.md §8): shared between the run's viewers, gzipped once when the client takes gzip. */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  const body = await sharedSnapshot(getDb(), runId);
  const headers = { "content-type": "application/json", "cache-control": "no-store", vary: "accept-encoding" };
  if (/\bgzip\b/.test(request.headers.get("accept-encoding") ?? "")) {
    return new Response(new Uint8Array(body.gzipped), { headers: { ...headers, "content-encoding": "gzip" } });
  }
  return new Response(body.json, { headers });
});
