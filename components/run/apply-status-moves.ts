import type { PayloadOf } from "@/lib/events/types";
import { isLaterTaskPosition } from "@/lib/tasks/status";
import type { ClientTask } from "./snapshot";

export type StatusMove = { taskId: string; seq: number; at: string; payload: PayloadOf<"task.status_changed"> };

/**
 * Status events applied to the snapshot's tasks, in seq order, only where they
 * move a card forward in (attempt, rank): a late event never moves a card
 * back, and a follow-up's move back to running (a higher attempt) applies at
 * once. Untouched tasks keep their object, so only moved cards render again.
 */
export function applyStatusMoves<T extends Pick<ClientTask, "id" | "status" | "currentAttempt" | "statusChangedAt">>(tasks: T[], moves: StatusMove[]): T[] {
  const byTask = new Map<string, StatusMove[]>();
  for (const move of moves) byTask.set(move.taskId, [...(byTask.get(move.taskId) ?? []), move]);
  return tasks.map((task) => {
    let next = task;
    for (const { payload, at } of byTask.get(task.id) ?? []) {
      // Rows written before events carried the attempt count as the card's own attempt.
      const attempt = payload.attempt ?? next.currentAttempt;
      if (isLaterTaskPosition({ attempt, status: payload.to }, { attempt: next.currentAttempt, status: next.status })) {
        next = { ...next, status: payload.to, currentAttempt: attempt, statusChangedAt: at };
      }
    }
    return next;
  });
}
