import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getRunSnapshot } from "@/lib/runs/get-snapshot";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export const GET = route(async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  return json(await getRunSnapshot(getDb(), runId));
});
