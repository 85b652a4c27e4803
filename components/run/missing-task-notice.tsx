"use client";

import { Button } from "@/components/ui/form";

/** A link's `?task=` names a task this run does not have (yet): say so plainly, and let it go. */
export function MissingTaskNotice({ taskKey, onDismiss }: { taskKey: string; onDismiss: () => void }) {
  return (
    <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100" data-testid="missing-task">
      <p className="min-w-0 break-words">
        This run has no task “{taskKey}”. The link may belong to another run, or the task is not planned yet; it opens here once it exists.
      </p>
      <Button type="button" variant="secondary" onClick={onDismiss}>
        Dismiss
      </Button>
    </div>
  );
}
