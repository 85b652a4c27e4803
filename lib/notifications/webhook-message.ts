import { head } from "../shared/cap";
import { describeMoment } from "./moment-of-event";
import { type DeliveryMoment, MOMENT_LABELS, type WebhookKind } from "./status";

/** What one delivery says; read from Foreman's records when it is sent. */
export type DeliveryContent = {
  deliveryId: string;
  moment: DeliveryMoment;
  text: string;
  merged: number;
  createdAt: Date;
  run: { id: string; title: string } | null;
  task: { id: string; key: string; title: string } | null;
};

/** Version of the JSON payload's shape (README "Webhooks"). */
export const PAYLOAD_VERSION = 1;

const runUrl = (publicUrl: string, runId: string) => `${publicUrl}/runs/${runId}`;

export function sentenceOf(content: DeliveryContent): string {
  return describeMoment({ moment: content.moment, runTitle: content.run?.title ?? null, taskKey: content.task?.key ?? null, text: content.text, merged: content.merged });
}

/** The raw body for an endpoint of `kind`; a JSON endpoint's body is what gets signed. */
export function webhookBody(kind: WebhookKind, content: DeliveryContent, publicUrl: string): string {
  const sentence = sentenceOf(content);
  const url = content.run ? runUrl(publicUrl, content.run.id) : null;
  switch (kind) {
    case "json":
      return JSON.stringify({
        id: content.deliveryId,
        version: PAYLOAD_VERSION,
        moment: content.moment,
        text: sentence,
        detail: content.text,
        merged: content.merged,
        run: content.run ? { ...content.run, url } : null,
        task: content.task,
        occurredAt: content.createdAt.toISOString(),
      });
    case "slack": {
      const title = content.moment === "test" ? "Test message" : MOMENT_LABELS[content.moment];
      // Slack's mrkdwn reads <…> as links and mentions: model and reviewer text is escaped, so it stays text.
      const blocks: unknown[] = [{ type: "section", text: { type: "mrkdwn", text: `*${title}*\n${slackEscape(head(sentence, 2800))}` } }];
      if (url) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `<${url}|Open the run in Foreman>` }] });
      return JSON.stringify({ text: `${slackEscape(head(sentence, 2800))}${url ? ` ${url}` : ""}`, blocks });
    }
  }
}

export function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
