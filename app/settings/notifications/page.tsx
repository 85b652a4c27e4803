import { desc } from "drizzle-orm";
import type { Metadata } from "next";
import { type DeliveryLogEntry, type WebhookRow, WebhooksPanel } from "@/components/settings/webhooks-panel";
import { runs } from "@/db/schema";
import { describeDelivery } from "@/lib/notifications/describe-delivery";
import { listDeliveries } from "@/lib/notifications/list-deliveries";
import { listWebhooks } from "@/lib/notifications/webhook-endpoints";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Notifications" };

type Props = { searchParams: Promise<{ run?: string | string[] }> };

export default async function NotificationsPage({ searchParams }: Props) {
  const requested = (await searchParams).run;
  const member = await requirePageMember("viewer", "/settings/notifications");
  if (!member) return null;
  const db = getDb();
  const webhooks: WebhookRow[] = (await listWebhooks(db, member.id)).map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  const runChoices = await db.select({ id: runs.id, title: runs.title }).from(runs).orderBy(desc(runs.createdAt)).limit(100);
  const log: DeliveryLogEntry[] = (await listDeliveries(db, member.id)).map((row) => ({ id: row.id, status: row.status, createdAt: row.createdAt.toISOString(), ...describeDelivery(row) }));
  const preselected = typeof requested === "string" && runChoices.some((run) => run.id === requested) ? requested : null;
  return (
    <div className="max-w-4xl space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">Notifications</h1>
      <div className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
        <p>
          Foreman can tell another tool when a run needs a person (a question, an approval, a task blocked with no automatic way forward, the budget reached) and when it
          completes or fails. Add a webhook for every run, or for one run.
        </p>
        <p>
          A <span className="font-medium text-zinc-900 dark:text-zinc-100">Slack-compatible</span> webhook gets an incoming-webhook message. A{" "}
          <span className="font-medium text-zinc-900 dark:text-zinc-100">signed JSON</span> webhook gets Foreman&apos;s JSON payload, signed with HMAC-SHA256 in the{" "}
          <code className="font-mono text-xs">X-Foreman-Signature</code> header (the README says how to check it). Failed deliveries are tried again with growing pauses.
        </p>
        <p>On an open run page, the “Notify me” button asks your browser to show the same moments while the tab is in the background.</p>
      </div>
      <WebhooksPanel webhooks={webhooks} runs={runChoices} preselectedRunId={preselected} log={log} />
    </div>
  );
}
