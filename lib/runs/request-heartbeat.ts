import "server-only";
import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db } from "../../db/client";
import { runs } from "../../db/schema";
import { AppError } from "../errors/app-error";
import { isFinalRunStatus } from "./status";
import { enqueue } from "../jobs/enqueue";

/** "Check now": queue a heartbeat for the run. One waiting check per run is enough. */
export async function requestHeartbeat(db: Db, boss: PgBoss, runId: string): Promise<{ jobId: string | null }> {
  const [run] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  if (!run) throw new AppError("not_found", "No such run.");
  if (isFinalRunStatus(run.status)) throw new AppError("state_conflict", `The run is ${run.status}; there is nothing to check.`);
  const jobId = await enqueue(boss, "run.heartbeat", { runId, trigger: "manual" }, { singletonKey: `heartbeat:${runId}`, singletonSeconds: 2 });
  return { jobId };
}
