import type { Db } from "../../db/client";
import { reports } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { parseModelJson, RAW_ANSWER_MAX } from "../../lib/reports/parse-model-json";
import { type WorkerReport, workerReportSchema } from "../../lib/reports/worker-report";
import { head } from "../../lib/shared/cap";
import type { AttemptTarget } from "../codex/record-agent-events";

export type StoredReport = { ok: true; report: WorkerReport } | { ok: false; error: string };

/**
 * Parses a worker's final answer as a WorkerReport and stores it: validated
 * payload, or the raw text with the reason it was refused (DESIGN.md §5).
 */
export async function storeWorkerReport(db: Db, target: AttemptTarget, answer: string | null): Promise<StoredReport> {
  const parsed = parseModelJson(workerReportSchema, answer);
  await db.transaction(async (tx) => {
    await tx.insert(reports).values({
      runId: target.runId,
      taskId: target.taskId,
      attemptId: target.attemptId,
      kind: "worker_report",
      payload: parsed.ok ? parsed.value : null,
      raw: parsed.ok ? null : head(answer ?? "", RAW_ANSWER_MAX),
      valid: parsed.ok,
      error: parsed.ok ? null : parsed.error,
    });
    await appendEvent(tx, {
      runId: target.runId,
      taskId: target.taskId,
      payload: {
        type: "task.report",
        attempt: target.attemptNumber,
        valid: parsed.ok,
        status: parsed.ok ? parsed.value.status : null,
        summary: parsed.ok ? head(parsed.value.summary, 4000) : null,
        error: parsed.ok ? null : head(parsed.error, 4000),
      },
    });
  });
  return parsed.ok ? { ok: true, report: parsed.value } : { ok: false, error: parsed.error };
}
