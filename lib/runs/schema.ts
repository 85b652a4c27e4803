import { z } from "zod";
import { runSettingsSchema } from "./settings";

/** Scopes are capped (DESIGN.md §9). */
export const MAX_SCOPE_BYTES = 200 * 1024;
export const TITLE_MAX = 200;

export const createRunInput = z
  .object({
    repositoryId: z.uuid({ message: "must be a repository id" }),
    scope: z
      .string()
      .refine((value) => value.trim().length > 0, { message: "is empty: paste the plan, issue list or bug report to work on" })
      .refine((value) => new TextEncoder().encode(value).length <= MAX_SCOPE_BYTES, {
        message: `is over ${MAX_SCOPE_BYTES / 1024} KB: split it into several runs`,
      }),
    title: z.string().trim().min(1).max(TITLE_MAX).optional(),
    settings: runSettingsSchema.partial().strict().optional(),
  })
  .strict();

export type CreateRunInput = z.infer<typeof createRunInput>;

/** A title from the scope's first meaningful line, when none is given. */
export function titleFromScope(scope: string): string {
  const line = scope
    .split("\n")
    .map((l) => l.replace(/^[\s#>*\-\d.)[\]x]+/, "").trim())
    .find((l) => l.length > 0);
  const title = line ?? "Untitled run";
  return title.length > 80 ? `${title.slice(0, 79)}…` : title;
}
