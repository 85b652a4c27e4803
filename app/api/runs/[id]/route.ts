import { requireAccess } from "@/lib/auth/access";
import { parseWith, route, uuidParam } from "@/lib/http/route";
import { sharedSnapshot } from "@/lib/runs/shared-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/**
 * The run's snapshot (DESIGN.md §8), read once per version for all its viewers and kept as bytes
 * (lib/runs/shared-snapshot.ts). The web server answers GET itself before Next's router
 * (lib/server/snapshot-route.ts, the same checks); this route answers what reaches Next (HEAD, a GET that sends a body).
 * Sent as is: Next drops a route's own Content-Encoding, so a body compressed here would reach the
 * client as unreadable bytes.
 */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  const shared = await sharedSnapshot(getDb(), runId);
  return new Response(new Uint8Array(shared.bytes), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
});
