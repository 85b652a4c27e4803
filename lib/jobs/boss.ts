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
  });
  return boss;
}

/** Creates every queue (idempotent); called once at migration time. */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of QUEUE_NAMES) {
    const existing = await boss.getQueue(name);
    if (existing) continue;
    await boss.createQueue(name, {
      policy: QUEUE_POLICIES[name] ?? "standard",
      notify: true,
      retryLimit: 2,
      retryDelay: 5,
      retryBackoff: true,
      expireInSeconds: 60 * 60,
      deleteAfterSeconds: 7 * 24 * 60 * 60,
    });
  }
}
