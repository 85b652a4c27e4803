import type { Metadata } from "next";
import { NewAccountForm } from "@/components/forms/new-account-form";
import { UnusableLink } from "@/components/forms/unusable-link";
import { CardPage } from "@/components/ui/card-page";
import { checkAccessLink } from "@/lib/auth/check-access-link";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Foreman" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  if (typeof token !== "string" || !token) {
    return (
      <CardPage title="Set up Foreman" lead="This page needs the one-time link that Foreman printed when it first started.">
        <p className="text-sm">Look for “Create the owner account here” in the output of <code>npm start</code>, or in the file <code>setup-url</code> in the data directory.</p>
      </CardPage>
    );
  }
  const state = await checkAccessLink(getDb(), "setup", token);
  if (state !== "open") return <UnusableLink kind="setup" state={state} />;
  return (
    <CardPage title="Create the owner account" lead="The owner manages users, repositories and secrets. This link works once.">
      <NewAccountForm endpoint="/api/setup" token={token} submitLabel="Create owner account" />
    </CardPage>
  );
}
