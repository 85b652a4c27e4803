import { z } from "zod";
import { HEARTBEAT_TRIGGERS } from "../heartbeats/status";

/**
 * Queue names and payloads, shared by the web (which enqueues) and the runner
 * (whose `worker-runner/jobs/<queue>.ts` handles each). Payloads carry ids,
 * never whole rows: the handler re-reads current state.
 */
export const QUEUES = {
  "run.review": z.object({ runId: z.uuid() }),
  "run.heartbeat": z.object({ runId: z.uuid(), trigger: z.enum(HEARTBEAT_TRIGGERS) }),
  /** Works one attempt of a task; `resume` continues an interrupted attempt's thread. */
  "task.run": z.object({
    taskId: z.uuid(),
    attempt: z.number().int().min(1),
    resume: z.boolean().optional(),
    /** This attempt replaces a stalled (or, for a follow-up, finished) one and continues its thread. */
    replaces: z.number().int().min(1).optional(),
    /** A follow-up turn on the same thread and branch: CI failure, review feedback, a merge conflict, a rejection. */
    followUp: z
      .object({
        purpose: z.enum(["ci_fix", "review_feedback", "conflict", "rejected", "manager"]),
        prompt: z.string().min(1).max(60_000),
        /** Merge the base branch into the worktree first (a conflict follow-up); `remote` fetches it from GitHub. */
        mergeBase: z.enum(["local", "remote"]).optional(),
        /** Review comments this turn addresses: replied to once it is pushed. */
        commentIds: z.array(z.uuid()).max(100).optional(),
      })
      .optional(),
  }),
  /** A human accepted a task (local mode: merge its branch into the base) or asked to merge its PR. */
  "task.land": z.object({ taskId: z.uuid(), action: z.enum(["accept", "merge"]), by: z.string().max(200).nullable() }),
  /** Syncs one pull request: state, CI, reviews and comments; routes what is new (DESIGN.md §4.8–4.9). */
  "github.sync": z.object({ pullRequestId: z.uuid(), trigger: z.enum(["opened", "heartbeat", "webhook", "answer", "approval"]) }),
  /** Starts what may start and records why the rest waits (DESIGN.md §4.4); cheap, run on every change. */
  "run.schedule": z.object({ runId: z.uuid() }),
  /** The manager proposes a plan; `comment` is a human's re-plan request. */
  "run.plan": z.object({ runId: z.uuid(), comment: z.string().max(4000).nullable() }),
  /** Every task is done or dropped: the manager writes the summary and the run completes. */
  "run.finish": z.object({ runId: z.uuid() }),
  /** Sends one webhook delivery (lib/notifications/); retried with backoff, delivered at most once. */
  "webhook.deliver": z.object({ deliveryId: z.uuid() }),
} as const;

export type QueueName = keyof typeof QUEUES;

/**
 * Queues that must not run two jobs for one key at once: a PR's syncs
 * (`singletonKey` = the PR's id) keep one queued and one active, so a burst
 * of webhooks during a sync costs one more sync, not one each.
 */
export const QUEUE_POLICIES: Partial<Record<QueueName, "stately">> = { "github.sync": "stately" };
export type QueuePayload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export const PGBOSS_SCHEMA = "pgboss";
