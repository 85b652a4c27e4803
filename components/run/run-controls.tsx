"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, callApi, ErrorText } from "@/components/ui/form";
import { LocalTime } from "@/components/ui/local-time";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { isFinalRunStatus, type RunStatus } from "@/lib/runs/status";

type ShareLink = { id: string; createdAt: string; expiresAt: string; revokedAt: string | null; lastUsedAt: string | null };

/** Operator controls on the run page: pause, resume, cancel, check now, and share links. */
export function RunControls({ runId, status }: { runId: string; status: RunStatus }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [controlling, setControlling] = useState(false);
  const [checking, setChecking] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);
  const [links, setLinks] = useState<ShareLink[]>([]);

  const loadLinks = async () => setLinks((await callApi<{ shareLinks: ShareLink[] }>(`/api/runs/${runId}/share-links`)).shareLinks);
  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  /** Pause, resume or cancel; the page is re-rendered with the run's new status. */
  const control = (action: "pause" | "resume" | "cancel") =>
    act(async () => {
      if (action === "cancel" && !window.confirm("Cancel this run? Its running workers are stopped; worktrees and branches are kept.")) return;
      setControlling(true);
      try {
        await callApi(`/api/runs/${runId}/${action}`, { method: "POST", body: "{}" });
        router.refresh();
      } finally {
        setControlling(false);
      }
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {status === "running" ? (
          <Button variant="secondary" disabled={controlling} onClick={() => control("pause")}>
            Pause
          </Button>
        ) : null}
        {status === "paused" ? (
          <Button disabled={controlling} onClick={() => control("resume")}>
            Resume
          </Button>
        ) : null}
        {isFinalRunStatus(status) ? null : (
          <Button variant="danger" disabled={controlling} onClick={() => control("cancel")}>
            Cancel run
          </Button>
        )}
        <Button
          variant="secondary"
          disabled={checking}
          onClick={() =>
            act(async () => {
              setChecking(true);
              try {
                await callApi(`/api/runs/${runId}/heartbeat`, { method: "POST", body: "{}" });
              } finally {
                setChecking(false);
              }
            })
          }
        >
          {checking ? "Checking…" : "Check now"}
        </Button>
        <Button
          variant="secondary"
          aria-expanded={shareOpen}
          aria-controls="share-panel"
          onClick={() =>
            act(async () => {
              setShareOpen(!shareOpen);
              if (!shareOpen) await loadLinks();
            })
          }
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
          <Button
            onClick={() =>
              act(async () => {
                setCreated(await callApi(`/api/runs/${runId}/share-links`, { method: "POST", body: "{}" }));
                await loadLinks();
              })
            }
          >
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
                  <Button
                    variant="danger"
                    onClick={() =>
                      act(async () => {
                        await callApi(`/api/share-links/${link.id}`, { method: "DELETE" });
                        await loadLinks();
                      })
                    }
                  >
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
