import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { webhookDeliveries } from "../../db/schema";
import { allowedFrom, transitionConflict, type TransitionOptions } from "../shared/transition-options";
import type { DeliveryStatus } from "./status";
import { DELIVERY_TRANSITIONS } from "./transitions";

/**
 * Records one try of a webhook delivery: its count, its status (still pending,
 * delivered, or failed for good) and the claim released. A delivery that is
 * final already is never rewritten (zero rows is a conflict).
 */
export async function transitionDelivery(
  tx: Queryable,
  deliveryId: string,
  to: DeliveryStatus,
  options: TransitionOptions<DeliveryStatus> & { attempts: number },
): Promise<void> {
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ attempts: options.attempts, status: to, claimedUntil: null, ...(to === "delivered" ? { deliveredAt: sql`now()` } : {}) })
    .where(and(eq(webhookDeliveries.id, deliveryId), inArray(webhookDeliveries.status, allowedFrom(DELIVERY_TRANSITIONS, to, options.from))))
    .returning({ id: webhookDeliveries.id });
  if (row) return;
  const [current] = await tx.select({ status: webhookDeliveries.status }).from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  throw transitionConflict("The webhook delivery", current?.status, to);
}
