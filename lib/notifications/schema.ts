import { z } from "zod";
import { MOMENTS, WEBHOOK_KINDS } from "./status";

export const WEBHOOK_URL_MAX = 2000;
/** Endpoints one person may keep. */
export const WEBHOOKS_PER_USER = 20;

/** An http(s) URL with no user name or password in it (those would be logged by proxies and shown in errors). */
export const webhookUrl = z
  .string()
  .trim()
  .min(1, { message: "enter the receiver's URL" })
  .max(WEBHOOK_URL_MAX, { message: `must be at most ${WEBHOOK_URL_MAX} characters` })
  .superRefine((value, ctx) => {
    const problem = urlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function urlProblem(value: string): string | null {
  if (!URL.canParse(value)) return "must be a full URL such as https://hooks.example.com/foreman";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https:// (or http://)";
  if (url.username !== "" || url.password !== "") return "must not hold a user name or password; put credentials in the path or use the signing secret";
  return null;
}

export const createWebhookInput = z
  .object({
    name: z.string().trim().min(1, { message: "give the endpoint a name" }).max(100),
    kind: z.enum(WEBHOOK_KINDS),
    url: webhookUrl,
    moments: z
      .array(z.enum(MOMENTS))
      .min(1, { message: "choose at least one moment" })
      .max(MOMENTS.length)
      .transform((moments) => [...new Set(moments)]),
    /** One run's moments only; null: every run the person can see. */
    runId: z.uuid({ message: "must be a run's id" }).nullable().default(null),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

/** Scheme, host and port: enough to tell endpoints apart, without a Slack URL's secret path. */
export function urlLabel(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}
