import { createHmac, randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * Delivers a webhook the way GitHub does: the JSON body signed with
 * HMAC-SHA256 of the shared secret in X-Hub-Signature-256, the event name in
 * X-GitHub-Event, and a delivery id a receiver can use to drop replays.
 */

export const sendWebhookOptionsSchema = z.object({
  secret: z.string(),
  /** Signs with a different secret: well-formed, but a receiver must reject it. */
  badSignature: z.boolean().default(false),
  /** Leaves X-Hub-Signature-256 out altogether. */
  unsigned: z.boolean().default(false),
  /** Reuse one to replay a delivery; a fresh uuid otherwise. */
  deliveryId: z.string().min(1).optional(),
});
export type SendWebhookOptions = z.input<typeof sendWebhookOptionsSchema>;

export type WebhookDelivery = {
  status: number;
  /** The response body, parsed as JSON when it is JSON. */
  body: unknown;
  deliveryId: string;
  signature: string | null;
};

export const signWebhook = (secret: string, payload: string) => `sha256=${createHmac("sha256", secret).update(payload).digest("hex")}`;

export async function sendWebhook(targetUrl: string, event: string, payload: unknown, options: SendWebhookOptions): Promise<WebhookDelivery> {
  const parsed = sendWebhookOptionsSchema.parse(options);
  const body = JSON.stringify(payload);
  const deliveryId = parsed.deliveryId ?? randomUUID();
  const signature = parsed.unsigned ? null : signWebhook(parsed.badSignature ? `not-${parsed.secret}` : parsed.secret, body);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/fake",
    "x-github-event": event,
    "x-github-delivery": deliveryId,
    "x-github-hook-id": "1",
  };
  if (signature) headers["x-hub-signature-256"] = signature;
  const response = await fetch(targetUrl, { method: "POST", headers, body });
  const text = await response.text();
  let parsedBody: unknown = text;
  try {
    parsedBody = text === "" ? null : JSON.parse(text);
  } catch {
    // Not JSON: the text is the body.
  }
  return { status: response.status, body: parsedBody, deliveryId, signature };
}
