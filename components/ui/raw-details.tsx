"use client";

import { useState } from "react";

/**
 * Raw data behind a toggle (issue #17): people read the sentence first; the
 * JSON is there for whoever debugs, rendered only once opened.
 */
export function RawDetails({ label, value }: { label: string; value: unknown }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="text-[11px] text-zinc-500" onToggle={(event) => setOpen(event.currentTarget.open)} data-testid="raw-details">
      <summary className="cursor-pointer select-none">details</summary>
      {open ? (
        <div className="mt-1 space-y-1">
          <p className="font-mono">{label}</p>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-zinc-50 p-2 dark:bg-zinc-950">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
        </div>
      ) : null}
    </details>
  );
}
