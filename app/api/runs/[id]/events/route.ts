import { z } from "zod";
import { eq } from "drizzle-orm";
import { runs } from "@/db/schema";
import { requireAccess } from "@/lib/auth/access";
import { AppError } from "@/lib/errors/app-error";
import { listEventsAfter } from "@/lib/events/list-events";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

const query = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Missed events are always recoverable from here (DESIGN.md §8). */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const runId = parseWith(uuidParam, (await params).id);
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId });
  const url = new URL(request.url);
  const { after, limit } = parseWith(query, Object.fromEntries(url.searchParams));
  const [run] = await getDb().select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
  if (!run) throw new AppError("not_found", "No such run.");
  const events = await listEventsAfter(getDb(), runId, after, limit);
  return json({ events, hasMore: events.length === limit });
});
