import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { RunControls } from "@/components/run/run-controls";
import { RunLiveFeed } from "@/components/run/run-live-feed";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/http/app-error";
import { uuidParam } from "@/lib/http/route";
import { getRunSnapshot } from "@/lib/runs/get-snapshot";
import { getDb } from "@/lib/server/context";
import { pageActor } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

/** Members see the run; a share-link holder sees only the run of its link, read-only. */
async function load(id: string) {
  if (!uuidParam.safeParse(id).success) notFound();
  const actor = await pageActor();
  if (actor.kind === "anonymous") redirect(`/sign-in?next=${encodeURIComponent(`/runs/${id}`)}`);
  if (actor.kind === "share" && actor.runId !== id) notFound();
  try {
    return { actor, snapshot: await getRunSnapshot(getDb(), id) };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { snapshot } = await load((await params).id);
  return { title: snapshot.run.title, referrer: "no-referrer" };
}

export default async function RunPage({ params }: Props) {
  const { id } = await params;
  const { actor, snapshot } = await load(id);
  const { run } = snapshot;
  const canOperate = (actor.kind === "user" || actor.kind === "token") && hasRole(actor.role, "operator");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <p className="text-xs text-zinc-500">{run.repositoryName}</p>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="break-words text-xl font-semibold tracking-tight" data-testid="run-title">
              {run.title}
            </h1>
            <RunStatusBadge status={run.status} />
          </div>
        </div>
        {canOperate ? <RunControls runId={run.id} status={run.status} /> : null}
      </div>
      <RunLiveFeed runId={run.id} />
      <details className="rounded-lg border border-zinc-200 bg-white text-sm dark:border-zinc-800 dark:bg-zinc-900">
        <summary className="cursor-pointer px-4 py-2 font-medium">Scope</summary>
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap border-t border-zinc-200 px-4 py-3 font-mono text-xs dark:border-zinc-800">
          {run.scope}
        </pre>
      </details>
    </div>
  );
}
