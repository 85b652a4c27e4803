import type { z } from "zod";

/** The raw answer is kept up to this size when it is stored for a human to read. */
export const RAW_ANSWER_MAX = 256 * 1024;

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses a model's structured answer: JSON first, then the zod schema. The
 * error is one readable line naming what was wrong (model output is untrusted).
 */
export function parseModelJson<T>(schema: z.ZodType<T>, raw: string | null): ParsedAnswer<T> {
  if (raw === null || raw.trim() === "") return { ok: false, error: "The answer was empty." };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `The answer is not valid JSON (${(error as Error).message}).` };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return { ok: false, error: `The answer does not match the schema: ${issues.join("; ")}.` };
}
