import type { Metadata } from "next";
import { NewAccountForm } from "@/components/forms/new-account-form";
import { CardPage } from "@/components/ui/card-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up Foreman" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!token) {
    return (
      <CardPage title="Set up Foreman" lead="This page needs the one-time link that Foreman printed when it first started.">
        <p className="text-sm">Look for “Create the owner account here” in the output of <code>npm start</code>, or in the file <code>setup-url</code> in the data directory.</p>
      </CardPage>
    );
  }
  return (
    <CardPage title="Create the owner account" lead="The owner manages users, repositories and secrets. This link works once.">
      <NewAccountForm endpoint="/api/setup" token={token} submitLabel="Create owner account" />
    </CardPage>
  );
}
