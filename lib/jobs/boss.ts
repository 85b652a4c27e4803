import { PgBoss } from "pg-boss";
import { PGBOSS_SCHEMA, QUEUE_NAMES, QUEUE_POLICIES } from "./queues";

type Role = "web" | "runner" | "migrate";

/**
 * pg-boss in its own schema. The web only enqueues (no supervision, no cron);
 * the runner works and supervises; `migrate` installs the schema and queues.
 */
export function createBoss(url: string, role: Role): PgBoss {
  const boss = new PgBoss({
    connectionString: url,
    schema: PGBOSS_SCHEMA,
    application_name: `foreman-${role}-jobs`,
    max: role === "runner" ? 6 : 2,
    supervise: role === "runner",
    schedule: role === "runner",
    migrate: role !== "web",
    // Workers wake the moment a job is sent; polling stays as the backstop.
    useListenNotify: role === "runner",
    // A runner that dies mid-job stops its jobs' heartbeats (JOB_HEARTBEAT_SECONDS): they are retried
    // within seconds instead of staying active until they expire.
    ...(role === "runner" ? { monitorIntervalSeconds: 10, superviseIntervalSeconds: 10 } : {}),
  });
  return boss;
}

/**
 * Every job's worker refreshes its heartbeat at half this interval; a job whose
 * heartbeat stopped this long ago (its runner was killed or frozen) is failed
 * and retried by pg-boss on another runner. Each job is safe to run twice.
 */
export const JOB_HEARTBEAT_SECONDS = 30;

/** Creates every queue (idempotent); called once at migration time. Existing queues get the job heartbeat. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of QUEUE_NAMES) {
    const existing = await boss.getQueue(name);
    if (existing) {
      if (existing.heartbeatSeconds !== JOB_HEARTBEAT_SECONDS) await boss.updateQueue(name, { heartbeatSeconds: JOB_HEARTBEAT_SECONDS });
      continue;
    }
    await boss.createQueue(name, {
      policy: QUEUE_POLICIES[name] ?? "standard",
      notify: true,
      retryLimit: 2,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 60 * 60,
      heartbeatSeconds: JOB_HEARTBEAT_SECONDS,
      deleteAfterSeconds: 7 * 24 * 60 * 60,
    });
  }
}
