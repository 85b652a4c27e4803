import { z } from "zod";
import { RUN_STATUSES } from "../runs/status";
import { TASK_STATUSES } from "../tasks/status";

/**
 * Every run event, as stored in `run_events.payload` and sent over socket.io.
 * One union types the database rows, the socket messages and the reducers.
 * Payloads carry ids and small patches; clients re-fetch for whole objects.
 */
const text = (max = 4000) => z.string().max(max);

export const eventPayloads = z.discriminatedUnion("type", [
  z.object({ type: z.literal("run.created"), title: text(300), createdBy: z.string().nullable() }),
  z.object({
    type: z.literal("run.status_changed"),
    from: z.enum(RUN_STATUSES),
    to: z.enum(RUN_STATUSES),
    reason: text().nullable(),
  }),
  z.object({ type: z.literal("run.picked_up"), queue: text(100), runnerId: text(200) }),
  z.object({ type: z.literal("run.note"), level: z.enum(["info", "warning", "error"]), message: text() }),
  z.object({
    type: z.literal("task.status_changed"),
    from: z.enum(TASK_STATUSES),
    to: z.enum(TASK_STATUSES),
    reason: text().nullable(),
  }),
  z.object({
    type: z.literal("heartbeat.completed"),
    heartbeatId: z.uuid(),
    trigger: z.enum(["schedule", "manual"]),
    summary: text(),
    decisions: z.number().int().min(0),
  }),
]);

export type EventPayload = z.infer<typeof eventPayloads>;
export type EventType = EventPayload["type"];
export type PayloadOf<T extends EventType> = Extract<EventPayload, { type: T }>;

/** An event as the browser receives it (DESIGN.md §8). */
export const runEventSchema = z.object({
  seq: z.number().int().positive(),
  runId: z.uuid(),
  taskId: z.uuid().nullable(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

/** Narrows a received event; unknown or malformed ones are shown generically. */
export function parseEventPayload(event: Pick<RunEvent, "type" | "payload">): EventPayload | null {
  const parsed = eventPayloads.safeParse({ ...event.payload, type: event.type });
  return parsed.success ? parsed.data : null;
}

/** Subscribe message a client sends over socket.io. */
export const subscribeMessage = z.object({
  runId: z.uuid(),
  after: z.number().int().min(0).default(0),
});
export type SubscribeMessage = z.infer<typeof subscribeMessage>;

export const NOTIFY_CHANNEL = "foreman_events";
export const notifyPayload = z.object({ runId: z.uuid(), seq: z.number().int().positive() });
