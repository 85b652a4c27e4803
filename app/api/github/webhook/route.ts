import { checkHost } from "@/lib/auth/access";
import { env } from "@/lib/env";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/lib/github/receive-webhook";
import { AppError } from "@/lib/http/app-error";
import { json, route } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/**
 * GitHub's webhook: no session or token — the HMAC signature is the
 * credential (DESIGN.md §8, §9). Bad signatures change nothing.
 */
export const POST = route(async (request) => {
  checkHost(request.headers);
  if (Number(request.headers.get("content-length") ?? "0") > WEBHOOK_MAX_BYTES) throw new AppError("payload_too_large", "The webhook payload is over 2 MB.");
  const body = await request.text();
  if (Buffer.byteLength(body) > WEBHOOK_MAX_BYTES) throw new AppError("payload_too_large", "The webhook payload is over 2 MB.");
  const result = await receiveWebhook(getDb(), await getBoss(), env().githubWebhookSecret, {
    body,
    signature: request.headers.get("x-hub-signature-256"),
    event: request.headers.get("x-github-event"),
    deliveryId: request.headers.get("x-github-delivery"),
  });
  return json(result, { status: result.duplicate ? 200 : 202 });
});
