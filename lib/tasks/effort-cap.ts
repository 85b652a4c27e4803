import type { RunSettings } from "../runs/settings";

export type EffortSpent = { tokens: number; turns: number };

/**
 * Bounded effort (DESIGN.md §4.8): every task has a cap on model tokens and on
 * Codex turns, across all its attempts. The reason it stops, or null while it may go on.
 */
export function effortCapReason(spent: EffortSpent, settings: Pick<RunSettings, "taskTokenCap" | "taskTurnCap">): string | null {
  if (spent.tokens >= settings.taskTokenCap) {
    return `The task used ${spent.tokens} model tokens, over its cap of ${settings.taskTokenCap} (run setting taskTokenCap): blocked before another turn. Raise the cap or retry it with a narrower goal.`;
  }
  if (spent.turns >= settings.taskTurnCap) {
    return `The task took ${spent.turns} Codex turns, its cap (run setting taskTurnCap): blocked before another turn. Raise the cap or retry it with a narrower goal.`;
  }
  return null;
}
