import { requireAccess } from "@/lib/auth/access";
import { AppError } from "@/lib/errors/app-error";
import { json, parseWith, route, uuidParam } from "@/lib/http/route";
import { getDb } from "@/lib/server/context";
import { findTaskRunId, getTaskDetail } from "@/lib/tasks/get-task-detail";

export const dynamic = "force-dynamic";

/** A task's reports, verifications, handoff diff, pull request and lineage; readable by its run's share links too. */
export const GET = route(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const taskId = parseWith(uuidParam, (await params).id);
  const runId = await findTaskRunId(getDb(), taskId);
  // An unknown task is checked like a route of no run: a share link (or nobody) learns nothing about which ids exist.
  await requireAccess(request, { role: "viewer", mutation: false, shareRunId: runId ?? undefined });
  if (!runId) throw new AppError("not_found", "No such task.");
  return json(await getTaskDetail(getDb(), taskId));
});
