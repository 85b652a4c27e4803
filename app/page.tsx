import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { FaviconBadge } from "@/components/ui/favicon-badge";
import { type RunRow, RunsTable } from "@/components/runs/runs-table";
import { hasRole } from "@/lib/auth/roles";
import { listRuns } from "@/lib/runs/list-runs";
import { needsYou, titleWithCount } from "@/lib/runs/needs-you";
import { FINAL_RUN_STATUSES, RUN_STATUSES, type RunStatus } from "@/lib/runs/status";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";
import { relativeTime } from "@/lib/shared/relative-time";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ status?: string | string[] }> };

const ACTIVE_STATUSES = RUN_STATUSES.filter((status) => !(FINAL_RUN_STATUSES as readonly RunStatus[]).includes(status));

/** `?status=` is `active` or one run status; anything else shows every run. */
function parseFilter(value: string | string[] | undefined): { key: string; statuses?: readonly RunStatus[] } {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === "active") return { key: "active", statuses: ACTIVE_STATUSES };
  const status = RUN_STATUSES.find((candidate) => candidate === raw);
  return status ? { key: status, statuses: [status] } : { key: "all" };
}

const FILTERS: { key: string; label: string }[] = [
  { key: "all", label: "All" },
  { key: "active", label: "Active" },
  ...RUN_STATUSES.map((status) => ({ key: status, label: status.replace("_", " ") })),
];

/** One read per request, shared by the page and its title. */
const loadRuns = cache(async (filterKey: string): Promise<RunRow[]> => {
  const filter = parseFilter(filterKey);
  const now = new Date();
  return (await listRuns(getDb(), 100, filter.statuses)).map((run) => ({
    id: run.id,
    title: run.title,
    status: run.status,
    repositoryName: run.repositoryName,
    age: relativeTime(run.createdAt, now),
    createdAtIso: run.createdAt.toISOString(),
    tokensInput: run.tokensInput,
    tokensOutput: run.tokensOutput,
    estimatedCostUsd: run.estimatedCostUsd,
    tasksTotal: run.tasksTotal,
    tasksDone: run.tasksDone,
    tasksRunning: run.tasksRunning,
    needsYou: needsYou({
      status: run.status,
      openQuestions: run.openQuestions,
      pendingApprovals: run.pendingApprovals,
      blockedTasks: run.tasksBlocked,
      reviewTasks: run.tasksNeedsReview,
    }),
  }));
});

/** The tab says how many things wait for a person across the listed runs. */
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const member = await requirePageMember("viewer", "/");
  if (!member) return {};
  const runs = await loadRuns(parseFilter((await searchParams).status).key);
  return { title: { absolute: titleWithCount("Runs · Foreman", runs.reduce((sum, run) => sum + run.needsYou.count, 0)) } };
}

export default async function RunsPage({ searchParams }: Props) {
  const member = await requirePageMember("viewer", "/");
  if (!member) return null;
  const filter = parseFilter((await searchParams).status);
  const runs = await loadRuns(filter.key);
  const canStart = hasRole(member.role, "operator");
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold tracking-tight">Runs</h1>
        <FaviconBadge count={runs.reduce((sum, run) => sum + run.needsYou.count, 0)} />
        {canStart ? (
          <Link
            href="/runs/new"
            className="inline-flex items-center rounded-md bg-zinc-900 px-3 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300"
          >
            New run
          </Link>
        ) : null}
      </div>
      <nav aria-label="Filter runs by status" className="-mx-4 overflow-x-auto px-4">
        <ul className="flex gap-1 whitespace-nowrap text-sm">
          {FILTERS.map(({ key, label }) => {
            const current = key === filter.key;
            return (
              <li key={key}>
                <Link
                  href={key === "all" ? "/" : `/?status=${key}`}
                  aria-current={current ? "page" : undefined}
                  className={`inline-block rounded-md px-2.5 py-1 capitalize ${
                    current
                      ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                      : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
                  }`}
                >
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {runs.length > 0 ? (
        <RunsTable runs={runs} />
      ) : filter.key !== "all" ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No runs match this filter. <Link href="/" className="underline">Show all runs</Link>.
        </p>
      ) : (
        <div className="space-y-2 rounded-lg border border-dashed border-zinc-300 p-8 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          <p className="font-medium text-zinc-900 dark:text-zinc-100">No runs yet.</p>
          <ol className="list-decimal space-y-1 pl-5">
            <li>Add a repository: a local git checkout or a git URL, with its base branch and verify command (owners only).</li>
            <li>Start a run: pick the repository and paste the scope (a plan, an issue list or a bug report) in markdown.</li>
          </ol>
          <p>
            {canStart ? (
              <Link href="/runs/new" className="font-medium text-zinc-900 underline dark:text-zinc-100">
                Start your first run
              </Link>
            ) : (
              "Ask an operator to start a run; you will see it here."
            )}
          </p>
        </div>
      )}
    </div>
  );
}
