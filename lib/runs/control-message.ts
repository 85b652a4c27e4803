import { z } from "zod";

/**
 * Web → runners: "interrupt the running turns of this run". Sent with
 * pg_notify inside the transaction that changed the run, so it is delivered
 * only when that change commits; every runner listens and acts on its own turns.
 */
export const CONTROL_CHANNEL = "foreman_control";

export const controlMessageSchema = z.object({
  action: z.literal("interrupt"),
  runId: z.string().uuid(),
  /** Only this attempt (a stalled worker the heartbeat replaces); all of the run's turns when absent. */
  attemptId: z.string().uuid().optional(),
  reason: z.enum(["paused", "cancelled", "stalled"]),
});

export type ControlMessage = z.infer<typeof controlMessageSchema>;
