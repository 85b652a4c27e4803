import type { PgBoss } from "pg-boss";
import { QUEUES } from "../lib/jobs/queues";
import { JOBS } from "./jobs";
import type { JobDefinition } from "./jobs/types";
import type { RunnerContext } from "./runner-context";

/** Registers a pg-boss worker for every queue in `jobs`, each at its own concurrency. */
export async function workQueues(boss: PgBoss, ctx: RunnerContext, jobs: readonly JobDefinition[] = Object.values(JOBS) as JobDefinition[]): Promise<void> {
  for (const definition of jobs) {
    const schema = QUEUES[definition.name];
    const concurrency = typeof definition.concurrency === "function" ? definition.concurrency(ctx) : definition.concurrency;
    await boss.work(
      definition.name,
      // NOTIFY wakes workers for new jobs, but not for delayed ones (retries, a sync paused until a rate-limit
      // reset): pg-boss then polls only every 30 s unless told otherwise.
      { localConcurrency: concurrency, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5, includeMetadata: true, ...(definition.batch ? { batchSize: definition.batch.size } : {}) },
      async (jobs) => {
        if (definition.batch && jobs.length > 1) {
          const parsed = jobs.map((job) => ({ job, payload: schema.safeParse(job.data) }));
          const bad = parsed.filter((item) => !item.payload.success).map((item) => item.job.id);
          // A malformed payload will never succeed: failed on its own, the rest of the batch goes on.
          if (bad.length > 0) await boss.fail(definition.name, bad, { error: `bad ${definition.name} payload` });
          // The batch succeeds or is retried as a whole: its handler keeps each job's work apart, and a repeat is harmless.
          await definition.batch.handle(ctx, parsed.flatMap((item) => (item.payload.success ? [item.payload.data] : [])) as never);
          return;
        }
        const [job] = jobs;
        if (!job) return;
        const payload = schema.safeParse(job.data);
        // A malformed payload will never succeed: fail it without retrying forever.
        if (!payload.success) throw new Error(`bad ${definition.name} payload: ${payload.error.message}`);
        await definition.handle(ctx, payload.data as never, { id: job.id, retryCount: job.retryCount });
      },
    );
  }
}
