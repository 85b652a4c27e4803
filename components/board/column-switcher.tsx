"use client";

import { useState } from "react";
import { BOARD_COLUMNS, type BoardColumn } from "@/lib/tasks/status";

/** Where a person looks first when nobody picked a column: what waits for them, then what moves. */
const ATTENTION_ORDER: readonly BoardColumn[] = ["Needs review", "Blocked", "Running", "Verifying", "Waiting", "Done"];

/**
 * The column a phone shows: the one the person picked, else the first of
 * ATTENTION_ORDER that holds a card (following the run until they pick).
 */
export function useShownColumn(counts: Record<BoardColumn, number>): [BoardColumn, (column: BoardColumn) => void] {
  const [picked, setPicked] = useState<BoardColumn | null>(null);
  return [picked ?? ATTENTION_ORDER.find((column) => counts[column] > 0) ?? "Waiting", setPicked];
}

/** On a phone the board shows one column at a time: these buttons pick it, each with its count. Hidden from sm up. */
export function ColumnSwitcher({ counts, shown, onShow }: { counts: Record<BoardColumn, number>; shown: BoardColumn; onShow: (column: BoardColumn) => void }) {
  return (
    <div role="group" aria-label="Board column to show" className="grid grid-cols-3 gap-1 sm:hidden" data-testid="column-switcher">
      {BOARD_COLUMNS.map((column) => (
        <button
          key={column}
          type="button"
          aria-pressed={column === shown}
          onClick={() => onShow(column)}
          data-column={column}
          className="flex items-center justify-between gap-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-xs font-medium text-zinc-700 aria-pressed:border-zinc-900 aria-pressed:bg-zinc-900 aria-pressed:text-white dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:aria-pressed:border-zinc-100 dark:aria-pressed:bg-zinc-100 dark:aria-pressed:text-zinc-900"
        >
          <span className="truncate">{column}</span>
          <span className="tabular-nums">{counts[column]}</span>
        </button>
      ))}
    </div>
  );
}
