import type { DeliveryStatus } from "./status";

/** Allowed "from" states per target: a pending delivery is tried again (pending → pending) until it is delivered or fails. */
export const DELIVERY_TRANSITIONS = {
  pending: ["pending"],
  delivered: ["pending"],
  failed: ["pending"],
} as const satisfies Record<DeliveryStatus, readonly DeliveryStatus[]>;
