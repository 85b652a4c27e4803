import { type EventType, type PayloadOf, parseEventPayload } from "./types";

/**
 * A stored event read back typed: parsed once by the one event union, null
 * when the row is not a `type` event or no longer parses as today's shape.
 */
export function readEventPayload<T extends EventType>(row: { type: string; payload: Record<string, unknown> } | undefined, type: T): PayloadOf<T> | null {
  if (!row || row.type !== type) return null;
  const payload = parseEventPayload(row);
  return payload?.type === type ? (payload as PayloadOf<T>) : null;
}
