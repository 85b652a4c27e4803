"use client";

import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { isFinalRunStatus, type RunStatus } from "@/lib/runs/status";
import { useRunAction } from "./use-run-action";

type ShareLink = { id: string; createdAt: string; expiresAt: string; revokedAt: string | null; lastUsedAt: string | null };
type ShareStep = { create: true } | { revoke: string };

/** Operator controls on the run page: pause, resume, cancel, check now, and share links. */
export function RunControls({ runId, status }: { runId: string; status: RunStatus }) {
  const [shareOpen, setShareOpen] = useState(false);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [links, setLinks] = useState<ShareLink[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);

  const loadLinks = async () => {
    setLoadError(null);
    try {
      setLinks((await callApi<{ shareLinks: ShareLink[] }>(`/api/runs/${runId}/share-links`)).shareLinks);
    } catch (failure) {
      setLoadError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  /** Pause, resume or cancel; the run's new status comes with the re-read snapshot. */
  const control = useRunAction(runId, (verb: "pause" | "resume" | "cancel") => callApi(`/api/runs/${runId}/${verb}`, { method: "POST", body: "{}" }));
  const check = useRunAction(runId, () => callApi(`/api/runs/${runId}/heartbeat`, { method: "POST", body: "{}" }));
  const share = useRunAction(
    runId,
    async (step: ShareStep) => {
      if ("create" in step) setCreated(await callApi(`/api/runs/${runId}/share-links`, { method: "POST", body: "{}" }));
      else await callApi(`/api/share-links/${step.revoke}`, { method: "DELETE" });
    },
    { onSuccess: () => void loadLinks() },
  );
  const error = control.error ?? check.error ?? share.error ?? loadError;
  const cancel = () => {
    if (window.confirm("Cancel this run? Its running workers are stopped; worktrees and branches are kept.")) void control.run("cancel");
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {status === "running" ? (
          <Button variant="secondary" disabled={control.busy} onClick={() => void control.run("pause")}>
            Pause
          </Button>
        ) : null}
        {status === "paused" ? (
          <Button disabled={control.busy} onClick={() => void control.run("resume")}>
            Resume
          </Button>
        ) : null}
        {isFinalRunStatus(status) ? null : (
          <Button variant="danger" disabled={control.busy} onClick={cancel}>
            Cancel run
          </Button>
        )}
        <Button variant="secondary" disabled={check.busy} onClick={() => void check.run()}>
          {check.busy ? "Checking…" : "Check now"}
        </Button>
        <Button
          variant="secondary"
          aria-expanded={shareOpen}
          aria-controls="share-panel"
          onClick={() => {
            setShareOpen(!shareOpen);
            if (!shareOpen) void loadLinks();
          }}
        >
          Share
        </Button>
      </div>
      <ErrorText>{error}</ErrorText>
      {shareOpen ? (
        <section id="share-panel" aria-label="Share links" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <p className="text-zinc-600 dark:text-zinc-400">
            A share link shows this run live, read-only, to anyone who has it, for 7 days or until you revoke it.
          </p>
          <Button disabled={share.busy} onClick={() => void share.run({ create: true })}>
            Create share link
          </Button>
          {created ? (
            <OneTimeSecret label="Copy it now; it is not shown again." value={created.url} testId="share-url">
              Expires <LocalTime at={created.expiresAt} withDate />.
            </OneTimeSecret>
          ) : null}
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Existing share links">
            {links.map((link) => (
              <li key={link.id} className="flex items-center justify-between gap-3 py-2" data-testid="share-link-row">
                <span className="text-xs text-zinc-600 dark:text-zinc-400">
                  created {new Date(link.createdAt).toLocaleString()} · {link.revokedAt ? "revoked" : `expires ${new Date(link.expiresAt).toLocaleDateString()}`}
                  {link.lastUsedAt ? ` · last opened ${new Date(link.lastUsedAt).toLocaleString()}` : ""}
                </span>
                {link.revokedAt ? null : (
                  <Button variant="danger" disabled={share.busy} onClick={() => void share.run({ revoke: link.id })}>
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
