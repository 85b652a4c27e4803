import type { QueueName } from "../../lib/jobs/queues";
import { runHeartbeat } from "./run-heartbeat";
import { runFinish } from "./run-finish";
import { runPlan } from "./run-plan";
import { runReview } from "./run-review";
import { runSchedule } from "./run-schedule";
import { runTask } from "./run-task";
import { githubSync } from "./github-sync";
import { taskLand } from "./task-land";
import { webhookDeliver } from "./webhook-deliver";
import type { JobDefinition } from "./types";

/** Every queue this runner works; the compiler checks each queue has a handler. */
export const JOBS = {
  "run.review": runReview,
  "run.heartbeat": runHeartbeat,
  "task.run": runTask,
  "run.schedule": runSchedule,
  "run.plan": runPlan,
  "run.finish": runFinish,
  "task.land": taskLand,
  "github.sync": githubSync,
  "webhook.deliver": webhookDeliver,
} satisfies { [Q in QueueName]: JobDefinition<Q> };
