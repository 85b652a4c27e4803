"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, callApi, ErrorText, Field, FormSection, useAction } from "@/components/ui/form";
import { MOMENT_LABELS, MOMENTS, type Moment, WEBHOOK_KIND_LABELS, WEBHOOK_KINDS, type WebhookKind } from "@/lib/notifications/status";
import { DeliveryLog, type DeliveryLogEntry } from "./delivery-log";
import { UtcTime } from "./tokens-panel";
import { OneTimeSecret } from "../ui/one-time-secret";

export type { DeliveryLogEntry };
export type WebhookRow = { id: string; name: string; kind: WebhookKind; urlLabel: string; moments: Moment[]; runId: string | null; runTitle: string | null; createdAt: string };
type Created = WebhookRow & { signingSecret: string | null };

const selectClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900";

/** The signed-in person's webhooks: add (a JSON endpoint's secret shown once), test, delete; and what was delivered. */
export function WebhooksPanel(props: { webhooks: WebhookRow[]; runs: { id: string; title: string }[]; preselectedRunId: string | null; log: DeliveryLogEntry[] }) {
  return (
    <div className="space-y-6">
      <CreateWebhookForm runs={props.runs} preselectedRunId={props.preselectedRunId} />
      <WebhookList webhooks={props.webhooks} />
      <DeliveryLog entries={props.log} />
    </div>
  );
}

function CreateWebhookForm({ runs, preselectedRunId }: { runs: { id: string; title: string }[]; preselectedRunId: string | null }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<Created | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const runId = String(data.get("runId") ?? "");
    await run(async () => {
      const body = { name: data.get("name"), kind: data.get("kind"), url: data.get("url"), moments: data.getAll("moments"), runId: runId === "" ? null : runId };
      setCreated(await callApi<Created>("/api/webhooks", { method: "POST", body: JSON.stringify(body) }));
      form.reset();
      router.refresh();
    });
  }

  return (
    <FormSection id="add-webhook-heading" title="Add a webhook">
      <form onSubmit={onSubmit} className="max-w-xl space-y-3">
        <Field label="Name" name="name" required maxLength={100} placeholder="e.g. Team channel" hint="Only for you, to tell webhooks apart." />
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Kind</span>
          <select name="kind" defaultValue="slack" className={selectClass}>
            {WEBHOOK_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {WEBHOOK_KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        <Field label="URL" name="url" type="url" required maxLength={2000} placeholder="https://hooks.slack.com/services/…" hint="Stored encrypted; only its host is shown again." />
        <label className="block space-y-1 text-sm">
          <span className="font-medium">Runs</span>
          <select name="runId" defaultValue={preselectedRunId ?? ""} className={selectClass}>
            <option value="">Every run I can see</option>
            {runs.map((choice) => (
              <option key={choice.id} value={choice.id}>
                Only “{choice.title}”
              </option>
            ))}
          </select>
        </label>
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">Tell it when</legend>
          {MOMENTS.map((moment) => (
            <label key={moment} className="flex items-center gap-2">
              <input type="checkbox" name="moments" value={moment} defaultChecked />
              {MOMENT_LABELS[moment]}
            </label>
          ))}
        </fieldset>
        <Button type="submit" disabled={busy}>
          {busy ? "Adding…" : "Add webhook"}
        </Button>
      </form>
      <ErrorText>{error}</ErrorText>
      {created?.signingSecret ? (
        <OneTimeSecret label={`Signing secret of “${created.name}”. Copy it into the receiver now; it is not shown again.`} value={created.signingSecret} testId="new-webhook-secret" />
      ) : created ? (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          Added “{created.name}”. Send it a test message to check it.
        </p>
      ) : null}
    </FormSection>
  );
}

function WebhookList({ webhooks }: { webhooks: WebhookRow[] }) {
  if (webhooks.length === 0) {
    return <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">You have no webhooks yet.</p>;
  }
  return (
    <ul aria-label="Your webhooks" className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {webhooks.map((webhook) => (
        <WebhookItem key={webhook.id} webhook={webhook} />
      ))}
    </ul>
  );
}

function WebhookItem({ webhook }: { webhook: WebhookRow }) {
  const router = useRouter();
  const { busy, error, run } = useAction();
  const [note, setNote] = useState<string | null>(null);
  const act = (what: "test" | "delete") =>
    run(async () => {
      if (what === "test") {
        await callApi(`/api/webhooks/${encodeURIComponent(webhook.id)}/test`, { method: "POST" });
        setNote("Test message queued; the log below shows how it went (reload to update).");
      } else {
        await callApi(`/api/webhooks/${encodeURIComponent(webhook.id)}`, { method: "DELETE" });
      }
      router.refresh();
    });
  const scope = webhook.runId ? `only “${webhook.runTitle ?? "a removed run"}”` : "every run you can see";
  const moments = webhook.moments.map((moment) => MOMENT_LABELS[moment].toLowerCase()).join("; ");
  return (
    <li data-testid="webhook-row" className="flex flex-wrap items-start justify-between gap-3 px-4 py-3 text-sm">
      <div className="min-w-0 space-y-1">
        <p className="font-medium">{webhook.name}</p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {WEBHOOK_KIND_LABELS[webhook.kind]} to {webhook.urlLabel}, for {scope}, added <UtcTime iso={webhook.createdAt} />.
        </p>
        <p className="text-xs text-zinc-600 dark:text-zinc-400">Tells it when: {moments}.</p>
        {note ? (
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {note}
          </p>
        ) : null}
        <ErrorText>{error}</ErrorText>
      </div>
      <div className="flex gap-2">
        <Button variant="secondary" disabled={busy} onClick={() => act("test")} aria-label={`Send a test message to ${webhook.name}`}>
          Send test
        </Button>
        <Button variant="danger" disabled={busy} onClick={() => act("delete")} aria-label={`Delete webhook ${webhook.name}`}>
          Delete
        </Button>
      </div>
    </li>
  );
}
