import { z } from "zod";
import { toStrictJsonSchema } from "./strict-json-schema";

/**
 * What a worker thread returns at the end of every turn (DESIGN.md §5). Field
 * names are a contract; optional values are `null`, never absent. The limits
 * apply when parsing the model's answer (untrusted input).
 */
const text = (max: number) => z.string().max(max);

export const WORKER_REPORT_STATUSES = ["done", "blocked", "needs_review"] as const;
export const RECOMMENDED_NEXT_ACTIONS = ["merge", "review", "follow_up", "wait", "manual_test", "publish", "stop"] as const;

export const workerReportSchema = z
  .object({
    status: z.enum(WORKER_REPORT_STATUSES),
    summary: text(20_000),
    filesChanged: z.array(text(1000)).max(1000),
    verification: z
      .array(z.object({ command: text(2000), result: text(8000), passed: z.boolean() }).strict())
      .max(100),
    handoff: z
      .object({ branch: text(300).nullable(), prUrl: text(2000).nullable(), artifact: text(2000).nullable() })
      .strict(),
    openIssues: z.array(text(4000)).max(100),
    recommendedNextAction: z.enum(RECOMMENDED_NEXT_ACTIONS),
  })
  .strict();

export type WorkerReport = z.infer<typeof workerReportSchema>;

/** The JSON Schema handed to Codex as `outputSchema`. */
export const workerReportJsonSchema = toStrictJsonSchema(workerReportSchema);
