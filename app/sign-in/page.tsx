import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/forms/sign-in-form";
import { CardPage } from "@/components/ui/card-page";
import { pageActor } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  const actor = await pageActor();
  if (actor.kind === "user") redirect(next);
  return (
    <CardPage title="Sign in to Foreman" lead="Accounts are made by invitation; ask an owner if you have none.">
      <SignInForm next={next} />
    </CardPage>
  );
}
