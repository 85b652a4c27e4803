import type { RunStatus } from "@/lib/runs/status";
import { assertNever } from "@/lib/shared/assert-never";

function tone(status: RunStatus): string {
  switch (status) {
    case "reviewing":
    case "planning":
      return "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300";
    case "needs_input":
    case "awaiting_approval":
      return "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300";
    case "running":
      return "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300";
    case "paused":
      return "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";
    case "completed":
      return "bg-emerald-600 text-white";
    case "cancelled":
      return "bg-zinc-300 text-zinc-700 line-through dark:bg-zinc-700 dark:text-zinc-300";
    case "failed":
      return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
    default:
      return assertNever(status, "run status");
  }
}

/** `muted`: something needs a person, so the status does not also claim all is well in green. */
export function RunStatusBadge({ status, muted = false }: { status: RunStatus; muted?: boolean }) {
  const colours = muted ? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" : tone(status);
  return (
    <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${colours}`}>
      {status.replace("_", " ")}
    </span>
  );
}
