import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { RunBoardView } from "@/components/run/run-board-view";
import type { ClientSnapshot } from "@/components/run/snapshot";
import { hasRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors/app-error";
import { uuidParam } from "@/lib/http/route";
import { type SharedSnapshot, sharedSnapshot } from "@/lib/runs/shared-snapshot";
import { needsYouOfSnapshot, titleWithCount } from "@/lib/runs/needs-you";
import { getDb } from "@/lib/server/context";
import { pageActor } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ task?: string | string[] }> };

/** Where sign-in sends the visitor back: the run, with the task its link opened (`?task=T2`). */
function backHere(id: string, task: string | string[] | undefined): string {
  return typeof task === "string" && task ? `/runs/${id}?task=${encodeURIComponent(task.slice(0, 40))}` : `/runs/${id}`;
}

/**
 * Members see the run; a share-link holder sees only the run of its link,
 * read-only. Cached per request: the title and the page share one snapshot.
 */
const load = cache(async (id: string, task?: string | string[]) => {
  if (!uuidParam.safeParse(id).success) notFound();
  const actor = await pageActor();
  if (actor.kind === "anonymous") redirect(`/sign-in?next=${encodeURIComponent(backHere(id, task))}`);
  if (actor.kind === "share" && actor.runId !== id) notFound();
  try {
    const shared = await sharedSnapshot(getDb(), id);
    return { actor, shared, snapshot: shared.snapshot };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
});

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const { snapshot } = await load((await params).id, (await searchParams).task);
  // The count of what waits for a person leads, so a background tab shows it; the board keeps it live (TabTitle).
  return { title: { absolute: titleWithCount(`${snapshot.run.title} · Foreman`, needsYouOfSnapshot(snapshot).count) }, referrer: "no-referrer" };
}

/** The client's snapshot of one shared read, made once for every page that renders it. */
const clientSnapshots = new WeakMap<SharedSnapshot, { initial: ClientSnapshot; scope: string }>();

function clientSnapshot(shared: SharedSnapshot): { initial: ClientSnapshot; scope: string } {
  let made = clientSnapshots.get(shared);
  if (!made) {
    // Dates become strings exactly as in GET /api/runs/:id (its very JSON), so the cache holds one shape; the scope
    // is rendered by the server below and not sent again as data.
    const { run, ...rest } = JSON.parse(shared.json) as ClientSnapshot;
    const { scope = "", ...shown } = run;
    made = { initial: { ...rest, run: shown }, scope };
    clientSnapshots.set(shared, made);
  }
  return made;
}

export default async function RunPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { actor, shared } = await load(id, (await searchParams).task);
  const canOperate = (actor.kind === "user" || actor.kind === "token") && hasRole(actor.role, "operator");
  const { initial, scope } = clientSnapshot(shared);
  return (
    <RunBoardView initial={initial} canOperate={canOperate} shared={actor.kind === "share"} renderedAt={new Date().toISOString()}>
      <details className="rounded-lg border border-zinc-200 bg-white text-sm dark:border-zinc-800 dark:bg-zinc-900">
        <summary className="cursor-pointer px-4 py-2 font-medium">Scope</summary>
        <pre className="max-h-96 overflow-auto whitespace-pre-wrap border-t border-zinc-200 px-4 py-3 font-mono text-xs dark:border-zinc-800">
          {scope}
        </pre>
      </details>
    </RunBoardView>
  );
}
