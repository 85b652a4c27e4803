import { z } from "zod";

/** `reports.payload` of a `handoff_diff` report: the diffstat of the task's own work (the diff itself is `raw`). */
export const handoffDiffSchema = z.object({
  branch: z.string(),
  startSha: z.string(),
  files: z.number().int().min(0),
  insertions: z.number().int().min(0),
  deletions: z.number().int().min(0),
  stat: z.string(),
});
export type HandoffDiff = z.infer<typeof handoffDiffSchema>;
