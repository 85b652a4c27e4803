import type { Metadata } from "next";
import { NewAccountForm } from "@/components/forms/new-account-form";
import { CardPage } from "@/components/ui/card-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Join Foreman" };

export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!token) return <CardPage title="Join Foreman" lead="This page needs the invitation link an owner sent you." >{null}</CardPage>;
  return (
    <CardPage title="Join Foreman" lead="You were invited. Create your account; the link works once.">
      <NewAccountForm endpoint="/api/invites/accept" token={token} submitLabel="Create account" />
    </CardPage>
  );
}
