"use client";

import { useRouter } from "next/navigation";
import { Button, callApi, ErrorText, Field, useAction } from "@/components/ui/form";

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction({ keepBusyOnSuccess: true });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      await callApi("/api/auth/sign-in/email", { method: "POST", body: JSON.stringify({ email: form.get("email"), password: form.get("password") }) });
      router.replace(next);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <ErrorText>{error}</ErrorText>
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
