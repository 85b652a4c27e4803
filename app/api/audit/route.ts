import { z } from "zod";
import { requireAccess } from "@/lib/auth/access";
import { listAudit } from "@/lib/audit/list-audit";
import { json, parseWith, route } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

const query = z.object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

export const GET = route(async (request) => {
  await requireAccess(request, { role: "owner", mutation: false });
  const options = parseWith(query, Object.fromEntries(new URL(request.url).searchParams));
  return json({ entries: await listAudit(getDb(), options) });
});
