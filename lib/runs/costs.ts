import { z } from "zod";

/**
 * Prices are the user's to state (per run, in its settings): Foreman ships no
 * price list that could go stale. Without prices the cost is unknown (null),
 * never a guess.
 */
export const pricesSchema = z
  .object({
    /** US dollars per million input tokens (uncached). */
    inputPerMillion: z.number().min(0).max(10_000),
    cachedInputPerMillion: z.number().min(0).max(10_000),
    outputPerMillion: z.number().min(0).max(10_000),
  })
  .strict();
export type Prices = z.infer<typeof pricesSchema>;

export type Tokens = { input: number; cachedInput?: number; output: number };

/** Estimated cost in US dollars, rounded to the cent's hundredth; null without prices. */
export function estimateCost(tokens: Tokens, prices: Prices | null): number | null {
  if (!prices) return null;
  const cached = Math.min(tokens.cachedInput ?? 0, tokens.input);
  const dollars =
    ((tokens.input - cached) * prices.inputPerMillion + cached * prices.cachedInputPerMillion + tokens.output * prices.outputPerMillion) / 1_000_000;
  return Math.round(dollars * 10_000) / 10_000;
}
