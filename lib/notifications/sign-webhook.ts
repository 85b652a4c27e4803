import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Signed JSON webhooks (README "Webhooks"): `X-Foreman-Signature: sha256=<hex>`
 * is HMAC-SHA256, keyed with the endpoint's secret, over `<timestamp>.<raw
 * body>`, where the timestamp (Unix seconds) is sent as `X-Foreman-Timestamp`.
 * Signing the timestamp with the body lets a receiver refuse replays of an old
 * message; the delivery id (`X-Foreman-Delivery`, also `id` in the body) lets
 * it drop a message it has already handled.
 */
export const SIGNATURE_HEADER = "x-foreman-signature";
export const TIMESTAMP_HEADER = "x-foreman-timestamp";
export const DELIVERY_HEADER = "x-foreman-delivery";
/** How old a message a receiver should still accept (its clock may differ a little from Foreman's). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** A new endpoint's secret: 256 random bits, shown once. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does (and Foreman's tests do): the signature matches and the timestamp is recent. */
export function verifyWebhook(
  secret: string,
  input: { signature: string | null; timestamp: string | null; body: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): { ok: true } | { ok: false; why: string } {
  if (!input.signature || !input.timestamp) return { ok: false, why: "the signature or timestamp header is missing" };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, why: "the timestamp is not a number of seconds" };
  const timestamp = Number(input.timestamp);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, why: "the message is too old (or from the future): a replay?" };
  const expected = Buffer.from(signWebhook(secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: "the signature does not match" };
  return { ok: true };
}
