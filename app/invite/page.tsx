import type { Metadata } from "next";
import { NewAccountForm } from "@/components/forms/new-account-form";
import { UnusableLink } from "@/components/forms/unusable-link";
import { CardPage } from "@/components/ui/card-page";
import { checkAccessLink } from "@/lib/auth/check-access-link";
import { getDb } from "@/lib/server/context";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Join Foreman" };

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  if (typeof token !== "string" || !token) return <CardPage title="Join Foreman" lead="This page needs the invitation link an owner sent you.">{null}</CardPage>;
  const state = await checkAccessLink(getDb(), "invite", token);
  if (state !== "open") return <UnusableLink kind="invite" state={state} />;
  return (
    <CardPage title="Join Foreman" lead="You were invited. Create your account; the link works once.">
      <NewAccountForm endpoint="/api/invites/accept" token={token} submitLabel="Create account" />
    </CardPage>
  );
}
