import Link from "next/link";
import { NeedsYouBadge } from "@/components/ui/needs-you-badge";
import { RunStatusBadge } from "@/components/ui/status-badge";
import type { NeedsYou } from "@/lib/runs/needs-you";
import type { RunStatus } from "@/lib/runs/status";

/** One run as the runs list shows it; times arrive as server-rendered text. */
export type RunRow = {
  id: string;
  title: string;
  status: RunStatus;
  repositoryName: string;
  age: string;
  createdAtIso: string;
  tokensInput: number;
  tokensOutput: number;
  estimatedCostUsd: number | null;
  tasksTotal: number;
  tasksDone: number;
  tasksRunning: number;
  needsYou: NeedsYou;
};

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

function tokensText(run: RunRow): string {
  const total = run.tokensInput + run.tokensOutput;
  return total === 0 ? "tokens —" : `${compact.format(total)} tokens`;
}

function costText(cost: number | null): string {
  if (cost === null) return "cost —";
  return cost < 0.01 && cost > 0 ? "<$0.01" : `$${cost.toFixed(2)}`;
}

function Progress({ done, total }: { done: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <span className="flex items-center gap-2">
      <span
        role="progressbar"
        aria-label="Tasks done"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-1.5 w-16 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <span className="block h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </span>
      <span className="tabular-nums">{total === 0 ? "no tasks yet" : `${done}/${total} done`}</span>
    </span>
  );
}

/** The runs list: each run is one link to its board. */
export function RunsTable({ runs }: { runs: RunRow[] }) {
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="runs-list">
      {runs.map((run) => (
        <li key={run.id}>
          <Link
            href={`/runs/${run.id}`}
            data-needs-you={run.needsYou.count}
            className="block space-y-2 px-4 py-3 outline-none hover:bg-zinc-50 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-500 dark:hover:bg-zinc-800/50"
          >
            <span className="flex items-start gap-3">
              <span className="min-w-0 flex-1 break-words font-medium">{run.title}</span>
              <NeedsYouBadge needs={run.needsYou} />
              <RunStatusBadge status={run.status} muted={run.needsYou.count > 0} />
            </span>
            {run.needsYou.count > 0 ? <span className="block text-xs font-medium text-zinc-800 dark:text-zinc-200">Waiting for you: {run.needsYou.reasons.join(", ")}</span> : null}
            <span className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
              <span className="max-w-full truncate">{run.repositoryName}</span>
              <Progress done={run.tasksDone} total={run.tasksTotal} />
              <span className="tabular-nums">{run.tasksRunning === 1 ? "1 worker running" : `${run.tasksRunning} workers running`}</span>
              <span className="tabular-nums" title="Input and output tokens">
                {tokensText(run)}
              </span>
              <span className="tabular-nums" title="Estimated cost">
                {costText(run.estimatedCostUsd)}
              </span>
              <time dateTime={run.createdAtIso} title={run.createdAtIso} className="ml-auto tabular-nums">
                {run.age}
              </time>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
