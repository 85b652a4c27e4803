import { sql } from "drizzle-orm";
import { fromDrizzle, type PgBoss, type SendOptions } from "pg-boss";
import type { z } from "zod";
import type { Queryable } from "../../db/client";
import { QUEUES, type QueueName } from "./queues";

/** pg-boss's send options, with `tx`: the job is written in that transaction and exists only if it commits. */
export type EnqueueOptions = Omit<SendOptions, "db"> & { tx?: Queryable };

/**
 * The one way to queue a job: the payload is typed by the queue registry
 * (./queues.ts) and parsed by the queue's schema before it is sent, so a
 * handler never receives a payload its queue does not accept.
 */
export async function enqueue<Q extends QueueName>(boss: PgBoss, queue: Q, payload: z.input<(typeof QUEUES)[Q]>, options: EnqueueOptions = {}): Promise<string | null> {
  const { tx, ...send } = options;
  const data: object = QUEUES[queue].parse(payload);
  return boss.send(queue, data, { ...send, ...(tx ? { db: fromDrizzle(tx, sql) } : {}) });
}
