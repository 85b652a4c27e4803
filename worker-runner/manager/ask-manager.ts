import type { z } from "zod";
import { reports } from "../../db/schema";
import { parseModelJson, RAW_ANSWER_MAX } from "../../lib/reports/parse-model-json";
import { toStrictJsonSchema } from "../../lib/reports/strict-json-schema";
import { head } from "../../lib/shared/cap";
import { type ManagerTurn, runManagerTurn } from "./run-manager-turn";

export type ManagerAnswer<T> = { ok: true; value: T; threadId: string | null } | { ok: false; error: string; threadId: string | null };

/**
 * Asks the manager for a structured answer. Model output is untrusted: it is
 * parsed strictly; an invalid answer is stored raw and asked for once more in
 * the same thread, then given up with a readable reason (DESIGN.md §5).
 */
export async function askManager<T>(
  turn: Omit<ManagerTurn, "outputSchema">,
  schema: z.ZodType<T>,
  kind: "manager_review" | "manager_plan" | "manager_summary" | "manager_triage" | "manager_task_review" | "manager_heartbeat",
  /** The task the answer is about, when it is about one. */
  taskId: string | null = null,
): Promise<ManagerAnswer<T>> {
  const outputSchema = toStrictJsonSchema(schema);
  let threadId = turn.threadId;
  let prompt = turn.prompt;
  for (let ask = 1; ask <= 2; ask++) {
    const result = await runManagerTurn({ ...turn, threadId, prompt, outputSchema });
    threadId = result.threadId ?? threadId;
    if (result.failure) return { ok: false, error: result.failure, threadId };
    const parsed = parseModelJson(schema, result.finalMessage);
    await turn.db.insert(reports).values({
      runId: turn.runId,
      taskId,
      kind,
      payload: parsed.ok ? (parsed.value as object) : null,
      raw: parsed.ok ? null : head(result.finalMessage ?? "", RAW_ANSWER_MAX),
      valid: parsed.ok,
      error: parsed.ok ? null : parsed.error,
    });
    if (parsed.ok) return { ok: true, value: parsed.value, threadId };
    if (ask === 2) return { ok: false, error: parsed.error, threadId };
    prompt = `Your answer could not be used: ${parsed.error} Answer again with only the JSON object the output schema describes.`;
  }
  return { ok: false, error: "unreachable", threadId };
}
