"use client";

import { Suspense, useCallback, useEffect, useRef } from "react";
import type { ClientTask } from "@/components/run/snapshot";
import { BOARD_COLUMNS, type BoardColumn, boardColumn } from "@/lib/tasks/status";
import { ColumnSwitcher, useShownColumn } from "./column-switcher";
import { TaskCard } from "./task-card";

/** The kanban board: exactly the contract's columns (DESIGN.md §3); a phone shows one column at a time. */
export function Board({ tasks, now, onOpen }: { tasks: ClientTask[]; now: Date; onOpen: (taskId: string) => void }) {
  const byColumn = Object.fromEntries(BOARD_COLUMNS.map((column) => [column, [] as ClientTask[]])) as Record<BoardColumn, ClientTask[]>;
  for (const task of tasks) byColumn[boardColumn(task.status)].push(task);
  // A card that moves column is a new element; keep keyboard focus on it across the move.
  const focusedTask = useRef<string | null>(null);
  useEffect(() => {
    const track = (event: FocusEvent) => {
      const card = event.target instanceof Element ? event.target.closest("[data-task-id]") : null;
      focusedTask.current = card?.getAttribute("data-task-id") ?? null;
    };
    document.addEventListener("focusin", track);
    return () => document.removeEventListener("focusin", track);
  }, []);
  const hadFocus = useCallback((taskId: string) => focusedTask.current === taskId, []);
  const counts = Object.fromEntries(BOARD_COLUMNS.map((column) => [column, byColumn[column].length])) as Record<BoardColumn, number>;
  const [shown, show] = useShownColumn(counts);
  return (
    <section aria-labelledby="board-heading" className="space-y-2">
      <h2 id="board-heading" className="text-sm font-semibold">
        Board
      </h2>
      {tasks.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-sm text-zinc-500 dark:border-zinc-700">
          No tasks yet. They appear here once the plan is approved.
        </p>
      ) : (
        <ColumnSwitcher counts={counts} shown={shown} onShow={show} />
      )}
      <div className="-mx-4 overflow-x-auto px-4 pb-2" data-testid="board">
        <div className="grid gap-3 sm:min-w-[66rem] sm:grid-cols-6">
          {BOARD_COLUMNS.map((column) => {
            const id = `column-${column.toLowerCase().replace(/\s+/g, "-")}`;
            return (
              <section key={column} aria-labelledby={id} className={`min-w-0 rounded-lg bg-zinc-100/70 p-2 dark:bg-zinc-900/60 ${column === shown ? "" : "max-sm:hidden"}`} data-column={column}>
                <h3 id={id} className="mb-2 flex items-center justify-between px-1 text-xs font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
                  <span>{column}</span>
                  <span className="font-normal">{byColumn[column].length}</span>
                </h3>
                <ul role="list" aria-label={`${column}: ${byColumn[column].length} task(s)`} className="min-h-8 space-y-0.5">
                  {/* Its own boundary: the page goes live before 200 cards hydrate, and they hydrate in slices after. */}
                  <Suspense>
                    {byColumn[column].map((task) => (
                      <TaskCard key={task.id} task={task} now={now} onOpen={onOpen} hadFocus={hadFocus} />
                    ))}
                  </Suspense>
                </ul>
              </section>
            );
          })}
        </div>
      </div>
    </section>
  );
}
