import { requireAccess } from "@/lib/auth/access";
import { parseWith, route, uuidParam } from "@/lib/http/route";
import { sharedSnapshot } from "@/lib/runs/shared-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/**
 * The run's snapshot (DESIGN.md §8), read once per version for all its viewers
 * (lib/runs/shared-snapshot.ts) and sent gzipped, compressed once, to a client that takes gzip.
 */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  const shared = await sharedSnapshot(getDb(), runId);
  const headers = { "content-type": "application/json", "cache-control": "no-store", vary: "accept-encoding" };
  if (acceptsGzip(request.headers.get("accept-encoding"))) {
    return new Response(new Uint8Array(await shared.gzipped), { headers: { ...headers, "content-encoding": "gzip" } });
  }
  return new Response(new Uint8Array(shared.bytes), { headers });
});

/** `gzip` listed and not refused with `q=0`. */
function acceptsGzip(header: string | null): boolean {
  return (header ?? "").split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    return !params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
  });
}
