"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "./form";

/** How long the button says "Copied" before it offers to copy again. */
const COPIED_MS = 2500;

/**
 * A secret or link the server shows once: a read-only field, selected on
 * focus, with a Copy button that says "Copied" when the clipboard took it.
 * Where the clipboard is refused (an insecure origin, a denied permission) the
 * text is selected instead, for Ctrl+C.
 */
export function OneTimeSecret({ label, value, testId, children }: { label: string; value: string; testId: string; children?: React.ReactNode }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  useEffect(() => {
    if (copied !== "yes") return;
    const timer = setTimeout(() => setCopied(null), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);
  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied("no");
    }
  }
  return (
    <div className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-900 dark:bg-amber-950/40">
      <label htmlFor={id} className="block text-xs font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          ref={input}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded border border-zinc-300 bg-white px-2 py-1 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
        />
        <Button type="button" variant="secondary" onClick={copy} data-copied={copied ?? undefined} className="min-w-[5.5rem]">
          {copied === "yes" ? "Copied ✓" : "Copy"}
        </Button>
      </div>
      <p aria-live="polite" className="text-xs text-zinc-600 dark:text-zinc-400">
        {copied === "yes" ? "Copied to the clipboard. " : copied === "no" ? "Copying is blocked here; the text is selected, press Ctrl+C (⌘C on a Mac). " : ""}
        {children}
      </p>
    </div>
  );
}
