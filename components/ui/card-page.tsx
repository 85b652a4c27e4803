import type { ReactNode } from "react";

/** A narrow centred card for the account pages. */
export function CardPage({ title, children, lead }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto mt-10 max-w-sm space-y-5 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="space-y-1">
        <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
        {lead ? <div className="text-sm text-zinc-600 dark:text-zinc-400">{lead}</div> : null}
      </div>
      {children}
    </div>
  );
}
