import { checkHost } from "@/lib/auth/access";
import { env } from "@/lib/env";
import { receiveWebhook, WEBHOOK_MAX_BYTES } from "@/lib/github/receive-webhook";
import { json, readBodyText, route } from "@/lib/http/route";
import { getBoss, getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";

/**
 * GitHub's webhook: no session or token — the HMAC signature is the
 * credential (DESIGN.md §8, §9). Bad signatures change nothing.
 */
export const POST = route(async (request) => {
  checkHost(request.headers);
  const body = await readBodyText(request, WEBHOOK_MAX_BYTES);
  const result = await receiveWebhook(getDb(), await getBoss(), env().githubWebhookSecret, {
    body,
    signature: request.headers.get("x-hub-signature-256"),
    event: request.headers.get("x-github-event"),
    deliveryId: request.headers.get("x-github-delivery"),
  });
  return json(result, { status: result.duplicate ? 200 : 202 });
});
