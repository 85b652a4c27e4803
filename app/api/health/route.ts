import { checkHealth } from "@/lib/health";
import { json } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/** Public on purpose (load balancers, docker's health check); it says nothing private. */
export async function GET() {
  const health = await checkHealth(getDb());
  return json(health, { status: health.ok ? 200 : 503 });
}
