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

/** When the cron of `heartbeatCron(minutes)` fires next after `from` (UTC, whole minutes). */
export function nextHeartbeatAt(minutes: number, from: Date = new Date()): Date {
  const next = new Date(from);
  next.setUTCSeconds(0, 0);
  if (minutes < 60) {
    next.setUTCMinutes(Math.floor(next.getUTCMinutes() / minutes) * minutes + minutes);
    return next;
  }
  const hours = Math.min(Math.round(minutes / 60), 24);
  next.setUTCMinutes(0);
  if (hours >= 24) {
    next.setUTCHours(24);
    return next;
  }
  next.setUTCHours(Math.floor(next.getUTCHours() / hours) * hours + hours);
  return next;
}
