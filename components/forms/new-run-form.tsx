"use client";

import { useRouter } from "next/navigation";
import { useId, useMemo, useState } from "react";
import { AddRepositoryForm, type CreatedRepository } from "@/components/forms/add-repository-form";
import { Button, callApi, ErrorText, Field, FormSection } from "@/components/ui/form";
import { MAX_SCOPE_BYTES, TITLE_MAX, titleFromScope } from "@/lib/runs/schema";
import { settingBounds } from "@/lib/runs/settings";

export type RepositoryOption = { id: string; name: string; baseBranch: string; location: string };

export type NewRunDefaults = {
  concurrency: number;
  heartbeatIntervalMinutes: number;
  stallTimeoutMinutes: number;
  autoApprovePlan: boolean;
  requireHumanAccept: boolean;
  draftPullRequests: boolean;
  mergeWithoutApproval: boolean;
};

const encoder = new TextEncoder();

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** The same rules as `createRunInput`, checked before anything is sent. */
function scopeProblem(scope: string, bytes: number): string | null {
  if (bytes > MAX_SCOPE_BYTES) return `The scope is ${formatBytes(bytes)}, over the ${MAX_SCOPE_BYTES / 1024} KB limit: split it into several runs.`;
  if (scope.trim().length === 0) return "The scope is empty: paste the plan, issue list or bug report to work on.";
  return null;
}

const NUMBER_SETTINGS = [
  { name: "concurrency", label: "Concurrent workers" },
  { name: "heartbeatIntervalMinutes", label: "Heartbeat every (min)" },
  { name: "stallTimeoutMinutes", label: "Stall timeout (min)" },
] as const;

const TOGGLE_SETTINGS = ["autoApprovePlan", "requireHumanAccept", "draftPullRequests", "mergeWithoutApproval"] as const;

function Toggle({ name, label, hint, defaultChecked }: { name: string; label: string; hint: string; defaultChecked: boolean }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-0.5" />
      <span>
        <span className="font-medium">{label}</span>
        <span className="block text-xs text-zinc-500">{hint}</span>
      </span>
    </label>
  );
}

/** Starts a run: repository, pasted scope, optional title and the main run settings. */
export function NewRunForm({
  repositories: initialRepositories,
  canAddRepository,
  defaults,
}: {
  repositories: RepositoryOption[];
  canAddRepository: boolean;
  defaults: NewRunDefaults;
}) {
  const router = useRouter();
  const ids = { scope: useId(), size: useId(), scopeError: useId() };
  const [repositories, setRepositories] = useState(initialRepositories);
  const [repositoryId, setRepositoryId] = useState(initialRepositories[0]?.id ?? "");
  const [adding, setAdding] = useState(canAddRepository && initialRepositories.length === 0);
  const [added, setAdded] = useState<string | null>(null);
  const [scope, setScope] = useState("");
  const [scopeTouched, setScopeTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const bytes = useMemo(() => encoder.encode(scope).length, [scope]);
  const problem = scopeProblem(scope, bytes);
  // Oversize shows at once; "empty" only after a submit attempt, not on an untouched form.
  const shownProblem = bytes > MAX_SCOPE_BYTES || scopeTouched ? problem : null;
  const suggestedTitle = scope.trim() ? titleFromScope(scope) : "From the scope's first line";
  const selected = repositories.find((repository) => repository.id === repositoryId);

  function onRepositoryCreated(repository: CreatedRepository) {
    const option = { id: repository.id, name: repository.name, baseBranch: repository.baseBranch, location: repository.path ?? repository.url ?? "" };
    setRepositories((current) => [...current, option].sort((a, b) => a.name.localeCompare(b.name)));
    setRepositoryId(repository.id);
    setAdding(false);
    setAdded(`Added ${repository.name}; it is selected.`);
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setScopeTouched(true);
    if (!repositoryId) {
      setError(canAddRepository ? "Pick a repository, or add one first." : "Pick a repository; an owner can add one.");
      return;
    }
    if (problem) {
      setError(null);
      document.getElementById(ids.scope)?.focus();
      return;
    }
    const form = new FormData(event.currentTarget);
    const title = String(form.get("title") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const { url } = await callApi<{ id: string; url: string }>("/api/runs", {
        method: "POST",
        body: JSON.stringify({
          repositoryId,
          scope,
          title: title.length > 0 ? title : undefined,
          settings: {
            ...Object.fromEntries(NUMBER_SETTINGS.map(({ name }) => [name, Number(form.get(name))])),
            ...Object.fromEntries(TOGGLE_SETTINGS.map((name) => [name, form.get(name) === "on"])),
          },
        }),
      });
      // The API answers with the public URL; navigate within the app by its path.
      router.push(new URL(url, window.location.origin).pathname);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      <FormSection id="repository-heading" title="Repository">
        {repositories.length > 0 ? (
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Repository</span>
            <select
              name="repositoryId"
              value={repositoryId}
              onChange={(event) => setRepositoryId(event.target.value)}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900"
            >
              {repositories.map((repository) => (
                <option key={repository.id} value={repository.id}>
                  {repository.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {selected ? (
          <p className="break-all text-xs text-zinc-500">
            {selected.location} · base branch {selected.baseBranch}
          </p>
        ) : null}
        {repositories.length > 0 ? null : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No repositories yet. {canAddRepository ? "Add the first one below." : "Ask an owner to add one."}
          </p>
        )}
        {added ? (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {added}
          </p>
        ) : null}
        {canAddRepository ? (
          adding ? (
            <AddRepositoryForm onCreated={onRepositoryCreated} onCancel={() => setAdding(false)} />
          ) : (
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setAdding(true);
                setAdded(null);
              }}
            >
              Add repository
            </Button>
          )
        ) : null}
      </FormSection>

      <form onSubmit={onSubmit} aria-label="New run" className="space-y-5 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="space-y-1 text-sm">
          <label htmlFor={ids.scope} className="font-medium">
            Scope
          </label>
          <textarea
            id={ids.scope}
            name="scope"
            value={scope}
            onChange={(event) => setScope(event.target.value)}
            rows={16}
            spellCheck={false}
            aria-invalid={shownProblem ? true : undefined}
            aria-describedby={shownProblem ? `${ids.size} ${ids.scopeError}` : ids.size}
            placeholder={"# What to build\n\nPaste a plan, an issue list or a bug report in markdown."}
            className="block min-h-64 w-full resize-y rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <p id={ids.size} className={`text-xs tabular-nums ${bytes > MAX_SCOPE_BYTES ? "text-red-700 dark:text-red-400" : "text-zinc-500"}`} data-testid="scope-size">
            {formatBytes(bytes)} of {MAX_SCOPE_BYTES / 1024} KB
          </p>
          {shownProblem ? (
            <p id={ids.scopeError} role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
              {shownProblem}
            </p>
          ) : null}
        </div>

        <Field label="Title (optional)" name="title" maxLength={TITLE_MAX} placeholder={suggestedTitle} autoComplete="off" />

        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold">Run settings</legend>
          <div className="grid gap-4 sm:grid-cols-3">
            {NUMBER_SETTINGS.map((setting) => (
              <Field
                key={setting.name}
                label={setting.label}
                name={setting.name}
                type="number"
                inputMode="numeric"
                min={settingBounds(setting.name).min}
                max={settingBounds(setting.name).max}
                step={1}
                required
                defaultValue={defaults[setting.name]}
              />
            ))}
          </div>
          <Toggle name="autoApprovePlan" defaultChecked={defaults.autoApprovePlan} label="Auto-approve the plan" hint="Off: the plan waits for an operator to approve it." />
          <Toggle
            name="requireHumanAccept"
            defaultChecked={defaults.requireHumanAccept}
            label="A human accepts every task"
            hint="Verified tasks wait in Needs review; accepting merges a local branch into the base branch."
          />
          <Toggle name="draftPullRequests" defaultChecked={defaults.draftPullRequests} label="Open pull requests as drafts" hint="GitHub repositories only." />
          <Toggle
            name="mergeWithoutApproval"
            defaultChecked={defaults.mergeWithoutApproval}
            label="Allow merging without an approving review"
            hint="Merge from Foreman still needs green CI."
          />
        </fieldset>

        <ErrorText>{error}</ErrorText>
        <Button type="submit" disabled={busy} className="w-full sm:w-auto">
          {busy ? "Starting…" : "Start run"}
        </Button>
      </form>
    </div>
  );
}
