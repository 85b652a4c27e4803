"use client";

import type { ReactNode } from "react";
import { usePhone } from "./use-phone";

/**
 * A long section folded away on a phone behind a one-line summary, and always
 * open (summary hidden) on a wider screen. The first render is the open one;
 * a phone folds it once mounted. `open` is only set from the screen size, so a
 * person's own toggling is kept.
 */
export function PhoneFold({ summary, children }: { summary: ReactNode; children: ReactNode }) {
  const phone = usePhone();
  return (
    <details open={!phone} className="group/fold" data-testid="phone-fold">
      <summary className="cursor-pointer rounded-lg border border-zinc-200 bg-white px-4 py-2 text-sm font-semibold group-open/fold:mb-2 sm:hidden dark:border-zinc-800 dark:bg-zinc-900">
        {summary}
      </summary>
      {children}
    </details>
  );
}
