import type { Metadata } from "next";
import { TokensPanel } from "@/components/settings/tokens-panel";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { getDb } from "@/lib/server/context";
import { requirePageMember } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const member = await requirePageMember("viewer", "/settings/tokens");
  if (!member) return null;
  const tokens = (await listApiTokens(getDb(), member.id)).map((token) => ({
    ...token,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  }));
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-xl font-semibold tracking-tight">API tokens</h1>
      <div className="space-y-2 text-sm text-zinc-600 dark:text-zinc-400">
        <p>
          An API token lets a script or another tool use Foreman&apos;s HTTP API as you, with your role (
          <span className="font-medium text-zinc-900 dark:text-zinc-100">{member.role}</span>). Send it with every request:
        </p>
        <pre className="overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
          <code>Authorization: Bearer &lt;token&gt;</code>
        </pre>
        <p>Treat it like a password. Foreman stores only a hash, so a token is shown once, when you create it. Revoke a token you no longer use or may have leaked; it stops working at once.</p>
      </div>
      <TokensPanel tokens={tokens} />
    </div>
  );
}
