"use client";

import { useRouter } from "next/navigation";
import type { DeliveryStatus } from "@/lib/notifications/status";
import { Button } from "@/components/ui/form";
import { UtcTime } from "./tokens-panel";

/** One delivery in words (lib/notifications/describe-delivery.ts). */
export type DeliveryLogEntry = { id: string; status: DeliveryStatus; createdAt: string; message: string; outcome: string; tries: string[] };

const TONE: Record<DeliveryStatus, string> = {
  delivered: "text-emerald-700 dark:text-emerald-300",
  pending: "text-amber-700 dark:text-amber-300",
  failed: "text-red-700 dark:text-red-300",
};

/** What Foreman sent to the person's webhooks, newest first, with every try. */
export function DeliveryLog({ entries }: { entries: DeliveryLogEntry[] }) {
  const router = useRouter();
  return (
    <section aria-labelledby="delivery-log-heading" className="space-y-2">
      <div className="flex items-center justify-between gap-3">
        <h2 id="delivery-log-heading" className="text-sm font-semibold">
          Delivery log
        </h2>
        <Button variant="secondary" onClick={() => router.refresh()}>
          Refresh
        </Button>
      </div>
      {entries.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">Nothing sent yet.</p>
      ) : (
        <ol className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {entries.map((entry) => (
            <li key={entry.id} data-testid="delivery-row" className="space-y-1 px-4 py-3 text-sm">
              <p className="break-words">{entry.message}</p>
              <p className={`text-xs font-medium ${TONE[entry.status]}`}>{entry.outcome}</p>
              {entry.tries.length > 0 ? (
                <ul className="list-disc space-y-0.5 pl-5 text-xs text-zinc-600 dark:text-zinc-400">
                  {entry.tries.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
              <p className="text-xs text-zinc-500">
                <UtcTime iso={entry.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
