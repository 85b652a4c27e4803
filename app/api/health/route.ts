import { checkHealth } from "@/lib/health";
import { json } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDb());
  return json(health, { status: health.ok ? 200 : 503 });
}
