import Link from "next/link";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { listRuns } from "@/lib/runs/list-runs";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";

export default async function RunsPage() {
  if (!(await requirePageMember("viewer", "/"))) return null;
  const runs = await listRuns(getDb());
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Runs</h1>
      {runs.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          <p className="font-medium text-zinc-900 dark:text-zinc-100">No runs yet.</p>
          <p className="mt-1">
            Add a repository with <code className="font-mono">POST /api/repositories</code>, then start a run with{" "}
            <code className="font-mono">POST /api/runs</code>. The board for doing this in the browser is on its way.
          </p>
        </div>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {runs.map((run) => (
            <li key={run.id}>
              <Link href={`/runs/${run.id}`} className="flex items-center gap-4 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                <span className="min-w-0 flex-1 truncate font-medium">{run.title}</span>
                <span className="text-xs text-zinc-500">{run.repositoryName}</span>
                <span className="text-xs tabular-nums text-zinc-500">
                  {run.tasksDone}/{run.tasksTotal} done
                </span>
                <RunStatusBadge status={run.status} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
