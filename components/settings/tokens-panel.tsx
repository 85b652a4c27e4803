"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, callApi, ErrorText, Field, FormSection, useAction } from "@/components/ui/form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";

export type TokenRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
type CreatedToken = { id: string; token: string; prefix: string; createdAt: string };

export function errorMessage(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/** The same text on server and client (no locale or time zone), so hydration never differs. */
export function UtcTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{`${iso.slice(0, 16).replace("T", " ")} UTC`}</time>;
}

/** The signed-in user's API tokens: create (shown once), list, revoke. */
export function TokensPanel({ tokens }: { tokens: TokenRow[] }) {
  return (
    <div className="space-y-6">
      <CreateTokenForm />
      <TokenList tokens={tokens} />
    </div>
  );
}

function CreateTokenForm() {
  const router = useRouter();
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<CreatedToken | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    await run(async () => {
      setCreated(await callApi<CreatedToken>("/api/tokens", { method: "POST", body: JSON.stringify({ name: new FormData(form).get("name") }) }));
      form.reset();
      router.refresh();
    });
  }

  return (
    <FormSection id="create-token-heading" title="Create a token">
      <form onSubmit={onSubmit} className="max-w-md space-y-3">
        <Field label="Name" name="name" required maxLength={100} placeholder="e.g. CI on my laptop" hint="Only for you, to tell tokens apart." />
        <Button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </Button>
      </form>
      <ErrorText>{error}</ErrorText>
      {created ? (
        <OneTimeSecret label="Your new token. Copy it now; it is not shown again." value={created.token} testId="new-api-token" />
      ) : null}
    </FormSection>
  );
}

function TokenList({ tokens }: { tokens: TokenRow[] }) {
  if (tokens.length === 0) {
    return <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">You have no API tokens yet.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="reflow-table w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">Your API tokens</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Name</th>
            <th scope="col" className="px-4 py-2 font-medium">Starts with</th>
            <th scope="col" className="px-4 py-2 font-medium">Created</th>
            <th scope="col" className="px-4 py-2 font-medium">Last used</th>
            <th scope="col" className="px-4 py-2 font-medium"><span className="sr-only">State</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {tokens.map((token) => (
            <TokenListRow key={token.id} token={token} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TokenListRow({ token }: { token: TokenRow }) {
  const router = useRouter();
  const { busy, error, run } = useAction();

  async function revoke() {
    await run(async () => {
      await callApi(`/api/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      router.refresh();
    });
  }

  return (
    <tr data-testid="api-token-row" className={token.revokedAt ? "text-zinc-500" : undefined}>
      <td data-label="Name" className="px-4 py-2 font-medium">{token.name}</td>
      <td data-label="Starts with" className="px-4 py-2 font-mono text-xs">{token.prefix}…</td>
      <td data-label="Created" className="whitespace-nowrap px-4 py-2 text-xs">
        <UtcTime iso={token.createdAt} />
      </td>
      <td data-label="Last used" className="whitespace-nowrap px-4 py-2 text-xs">{token.lastUsedAt ? <UtcTime iso={token.lastUsedAt} /> : "never"}</td>
      <td className="px-4 py-2 text-right">
        {token.revokedAt ? (
          <span className="whitespace-nowrap text-xs">
            revoked <UtcTime iso={token.revokedAt} />
          </span>
        ) : (
          <div className="space-y-1">
            <Button variant="danger" disabled={busy} onClick={revoke} aria-label={`Revoke token ${token.name}`}>
              {busy ? "Revoking…" : "Revoke"}
            </Button>
            <ErrorText>{error}</ErrorText>
          </div>
        )}
      </td>
    </tr>
  );
}
