import { DELIVERY_TIMEOUT_MS } from "../../lib/notifications/status";
import { DELIVERY_HEADER, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "../../lib/notifications/sign-webhook";

export type SendResult = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

/**
 * One POST to a receiver. JSON bodies are signed (lib/notifications/sign-webhook.ts)
 * with a fresh timestamp per try. Redirects are never followed (a receiver
 * cannot send Foreman's message, or its signature, to another host), the
 * answer's body is not read, and a receiver silent for 10 s is a failed try.
 */
export async function sendWebhook(input: { url: string; body: string; deliveryId: string; signingSecret: string | null; timeoutMs?: number }): Promise<SendResult> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Foreman-Webhooks/1", [DELIVERY_HEADER]: input.deliveryId };
  if (input.signingSecret) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers[TIMESTAMP_HEADER] = String(timestamp);
    headers[SIGNATURE_HEADER] = signWebhook(input.signingSecret, timestamp, input.body);
  }
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(input.url, { method: "POST", headers, body: input.body, redirect: "manual", signal: AbortSignal.timeout(input.timeoutMs ?? DELIVERY_TIMEOUT_MS) });
    await response.body?.cancel().catch(() => {});
    const durationMs = took();
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null, durationMs };
    const error =
      response.status >= 300 && response.status < 400
        ? `it redirected${redirectHost(response.headers.get("location"), input.url)}; Foreman does not follow redirects`
        : `it answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    return { ok: false, statusCode: response.status, error, durationMs };
  } catch (failure) {
    const durationMs = took();
    const name = failure instanceof Error ? failure.name : "";
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, statusCode: null, error: `no answer within ${Math.round((input.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000)} s`, durationMs };
    return { ok: false, statusCode: null, error: networkError(failure), durationMs };
  }
}

function redirectHost(location: string | null, base: string): string {
  if (!location || !URL.canParse(location, base)) return "";
  return ` to ${new URL(location, base).host}`;
}

/** fetch says "fetch failed"; the reason is in its cause (ECONNREFUSED, ENOTFOUND, a TLS error). The URL is never in it. */
function networkError(failure: unknown): string {
  const cause = (failure as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? cause.code : null;
  switch (code) {
    case "ECONNREFUSED":
      return "the connection was refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name could not be resolved";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "the connection was reset";
    default:
      return `it could not be reached (${code ?? (typeof cause?.message === "string" ? cause.message.slice(0, 200) : "network error")})`;
  }
}
