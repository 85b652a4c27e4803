/**
 * When a run needs a human, or is over (issue #15, "the human hears about
 * it"): the moments a webhook endpoint or an open board can announce. The
 * pgEnum and the settings form are built from these lists.
 */
export const MOMENTS = ["needs_input", "approval", "blocked", "budget", "completed", "failed"] as const;
export type Moment = (typeof MOMENTS)[number];

/** What a delivery announces: a moment, or a human's "send a test message". */
export const DELIVERY_MOMENTS = [...MOMENTS, "test"] as const;
export type DeliveryMoment = (typeof DELIVERY_MOMENTS)[number];

/** `slack`: a Slack-compatible incoming-webhook message `{text, blocks}`; `json`: Foreman's signed JSON payload. */
export const WEBHOOK_KINDS = ["slack", "json"] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The choices a person sees on the settings page. */
export const MOMENT_LABELS: Record<Moment, string> = {
  needs_input: "A question needs an answer",
  approval: "Something waits for approval",
  blocked: "A task is blocked with no automatic way forward",
  budget: "The run reached its budget",
  completed: "The run completed",
  failed: "The run failed",
};

export const WEBHOOK_KIND_LABELS: Record<WebhookKind, string> = {
  slack: "Slack-compatible message",
  json: "Signed JSON",
};

/** Tries per delivery (the first and its retries, with exponential backoff) before it is marked failed. */
export const DELIVERY_MAX_ATTEMPTS = 6;
/** A receiver that has not answered after this long is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
