import type { PgBoss } from "pg-boss";

/**
 * The per-run heartbeat (DESIGN.md §4.8) is a pg-boss schedule keyed by the run,
 * so exactly one exists per run however many runners there are, and its jobs
 * go through the run.heartbeat queue like "Check now".
 */
export function heartbeatCron(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.round(minutes / 60);
  return hours >= 24 ? "0 0 * * *" : `0 */${hours} * * *`;
}

/** Idempotent (an upsert): the scheduler calls it on every pass of a running run. */
export async function scheduleHeartbeat(boss: PgBoss, runId: string, minutes: number): Promise<void> {
  await boss.schedule("run.heartbeat", heartbeatCron(minutes), { runId, trigger: "schedule" }, { key: runId, tz: "UTC" });
}

export async function unscheduleHeartbeat(boss: PgBoss, runId: string): Promise<void> {
  await boss.unschedule("run.heartbeat", runId);
}
