import type { QueueName, QueuePayload } from "../../lib/jobs/queues";
import type { RunnerContext } from "../runner-context";

/** One queue's handler; the payload was parsed with the queue's zod schema. */
export type JobDefinition<Q extends QueueName = QueueName> = {
  name: Q;
  /** Jobs of this queue this runner handles at once. */
  concurrency: number | ((ctx: RunnerContext) => number);
  handle(ctx: RunnerContext, payload: QueuePayload<Q>, job: { id: string; retryCount: number }): Promise<void>;
  /**
   * A queue whose jobs are cheaper together (one query per concern, not per
   * job) takes up to `size` jobs at once; `handle` still serves single calls.
   */
  batch?: { size: number; handle(ctx: RunnerContext, payloads: QueuePayload<Q>[]): Promise<void> };
};

export const defineJob = <Q extends QueueName>(definition: JobDefinition<Q>) => definition;
