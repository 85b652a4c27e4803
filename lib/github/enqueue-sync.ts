import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { enqueue } from "../jobs/enqueue";
import type { QueuePayload } from "../jobs/queues";

/** Queues a PR sync; one per PR waits at a time (the queue is `stately`, keyed by the PR). */
export async function enqueueSync(
  boss: PgBoss,
  pullRequestId: string,
  trigger: QueuePayload<"github.sync">["trigger"],
  options: { tx?: Queryable; startAfter?: Date } = {},
): Promise<void> {
  await enqueue(boss, "github.sync", { pullRequestId, trigger }, { singletonKey: pullRequestId, ...options });
}
