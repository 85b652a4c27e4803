"use client";

import { useState } from "react";
import { Button, callApi, ErrorText, Field } from "@/components/ui/form";
import { TextArea } from "@/components/ui/text-area";

export type CreatedRepository = { id: string; name: string; baseBranch: string; path: string | null; url: string | null };

/** The owner's "add repository" form (POST /api/repositories); hands the new repository back. */
export function AddRepositoryForm({ onCreated, onCancel }: { onCreated: (repository: CreatedRepository) => void; onCancel: () => void }) {
  const [source, setSource] = useState<"path" | "url">("path");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => {
      const value = String(form.get(key) ?? "").trim();
      return value.length > 0 ? value : undefined;
    };
    setBusy(true);
    setError(null);
    try {
      const { repository } = await callApi<{ repository: CreatedRepository }>("/api/repositories", {
        method: "POST",
        body: JSON.stringify({
          name: text("name"),
          [source]: text("location"),
          baseBranch: text("baseBranch") ?? "main",
          setupScript: text("setupScript"),
          setupNetwork: form.get("setupNetwork") === "on",
          verifyCommand: text("verifyCommand"),
          github: text("github"),
          githubToken: text("githubToken"),
        }),
      });
      onCreated(repository);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label="Add repository" className="space-y-4 rounded-lg border border-zinc-200 bg-zinc-50 p-4 dark:border-zinc-800 dark:bg-zinc-950">
      <h2 className="text-sm font-semibold">Add a repository</h2>
      <Field label="Name" name="name" required maxLength={100} placeholder="my-app" autoComplete="off" />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Source</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="source" value="path" checked={source === "path"} onChange={() => setSource("path")} />
            Local checkout
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="source" value="url" checked={source === "url"} onChange={() => setSource("url")} />
            Git URL
          </label>
        </div>
        <Field
          key={source}
          label={source === "path" ? "Local path" : "Git URL"}
          name="location"
          required
          maxLength={1000}
          autoComplete="off"
          spellCheck={false}
          placeholder={source === "path" ? "/home/me/src/my-app" : "https://github.com/owner/name.git"}
          hint={source === "path" ? "The absolute path of a git checkout on the Foreman machine." : "Cloned into Foreman's data directory."}
        />
      </fieldset>
      <Field label="Base branch" name="baseBranch" defaultValue="main" required maxLength={200} autoComplete="off" spellCheck={false} />
      <TextArea label="Setup script" name="setupScript" rows={2} maxLength={10_000} placeholder="npm ci" hint="Runs in each new worktree, inside Foreman's sandbox." />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="setupNetwork" className="mt-0.5" />
        <span>
          <span className="font-medium">Setup script may use the network</span>
          <span className="block text-xs text-zinc-500">For package installs such as npm ci. Workers and verification stay offline either way.</span>
        </span>
      </label>
      <Field label="Verify command" name="verifyCommand" maxLength={2_000} placeholder="npm test" autoComplete="off" spellCheck={false} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="GitHub repository (optional)" name="github" placeholder="owner/name" autoComplete="off" spellCheck={false} />
        <Field label="GitHub token (optional)" name="githubToken" type="password" autoComplete="off" hint="Stored encrypted; never shown again." />
      </div>
      <ErrorText>{error}</ErrorText>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? "Saving…" : "Save repository"}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
