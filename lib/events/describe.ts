import { assertNever } from "../shared/assert-never";
import { parseEventPayload, type RunEvent } from "./types";

export type EventTone = "neutral" | "info" | "success" | "warning" | "danger";

/** One line of plain text per event, for logs and the live feed (rendered as text, never HTML). */
export function describeEvent(event: Pick<RunEvent, "type" | "payload">): { text: string; tone: EventTone } {
  const payload = parseEventPayload(event);
  if (!payload) return { text: event.type, tone: "neutral" };
  switch (payload.type) {
    case "run.created":
      return { text: `Run created: ${payload.title}`, tone: "info" };
    case "run.status_changed":
      return { text: `Run ${payload.from} → ${payload.to}${payload.reason ? `: ${payload.reason}` : ""}`, tone: "info" };
    case "run.picked_up":
      return { text: `Runner ${payload.runnerId} picked up ${payload.queue}`, tone: "neutral" };
    case "run.note":
      return { text: payload.message, tone: payload.level === "error" ? "danger" : payload.level === "warning" ? "warning" : "neutral" };
    case "task.status_changed":
      return { text: `Task ${payload.from} → ${payload.to}${payload.reason ? `: ${payload.reason}` : ""}`, tone: "info" };
    case "heartbeat.completed":
      return { text: `Heartbeat (${payload.trigger}): ${payload.summary}`, tone: "success" };
    default:
      return assertNever(payload, "event payload");
  }
}
