import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/forms/sign-in-form";
import { CardPage } from "@/components/ui/card-page";
import { safeNext } from "@/lib/auth/safe-next";
import { env } from "@/lib/env";
import { pageActor } from "@/lib/server/page-access";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  // Only same-origin paths are followed after sign-in (no open redirect).
  const next = safeNext((await searchParams).next, env().publicUrl);
  const actor = await pageActor();
  if (actor.kind === "user") redirect(next);
  return (
    <CardPage title="Sign in to Foreman" lead="Accounts are made by invitation; ask an owner if you have none.">
      <SignInForm next={next} />
    </CardPage>
  );
}
