import { z } from "zod";

/**
 * Queue names and payloads, shared by the web (which enqueues) and the runner
 * (whose `worker-runner/jobs/<queue>.ts` handles each). Payloads carry ids,
 * never whole rows: the handler re-reads current state.
 */
export const QUEUES = {
  "run.review": z.object({ runId: z.uuid() }),
  "run.heartbeat": z.object({ runId: z.uuid(), trigger: z.enum(["schedule", "manual"]) }),
  /** Works one attempt of a task; `resume` continues an interrupted attempt's thread. */
  "task.run": z.object({
    taskId: z.uuid(),
    attempt: z.number().int().min(1),
    resume: z.boolean().optional(),
    /** This attempt replaces a stalled one and continues its thread. */
    replaces: z.number().int().min(1).optional(),
  }),
  /** Starts what may start and records why the rest waits (DESIGN.md §4.4); cheap, run on every change. */
  "run.schedule": z.object({ runId: z.uuid() }),
  /** The manager proposes a plan; `comment` is a human's re-plan request. */
  "run.plan": z.object({ runId: z.uuid(), comment: z.string().max(4000).nullable() }),
  /** Every task is done or dropped: the manager writes the summary and the run completes. */
  "run.finish": z.object({ runId: z.uuid() }),
} as const;

export type QueueName = keyof typeof QUEUES;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export const PGBOSS_SCHEMA = "pgboss";
