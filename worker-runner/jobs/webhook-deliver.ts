import { DELIVERY_MAX_ATTEMPTS } from "../../lib/notifications/status";
import { deliverWebhook } from "../webhooks/deliver-webhook";
import { defineJob } from "./types";

/**
 * `webhook.deliver`: sends one webhook delivery; a failed try throws, and
 * pg-boss runs the job again with exponential backoff (retry options are set
 * where it is queued, lib/notifications/queue-deliveries.ts).
 */
export const webhookDeliver = defineJob({
  name: "webhook.deliver",
  concurrency: 4,
  async handle(ctx, { deliveryId }, job) {
    if (!ctx.webhooks) throw new Error("this runner was started without its webhook settings");
    await deliverWebhook(ctx.db, { deliveryId, foremanSecret: ctx.webhooks.secret, publicUrl: ctx.webhooks.publicUrl, lastJobTry: job.retryCount >= DELIVERY_MAX_ATTEMPTS - 1 });
  },
});
