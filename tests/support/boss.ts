import type { PgBoss } from "pg-boss";
import { afterAll } from "vitest";
import { createBoss } from "../../lib/jobs/boss";

/** A started pg-boss on the test database, stopped after the file: "web" only enqueues, "runner" works queues. */
export async function useBoss(url: string, role: "web" | "runner" = "web"): Promise<PgBoss> {
  const boss = createBoss(url, role);
  await boss.start();
  afterAll(async () => {
    await boss.stop({ graceful: false, close: true });
  });
  return boss;
}
