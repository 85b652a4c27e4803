"use client";

import { useRouter } from "next/navigation";
import { Button, callApi, ErrorText, Field, useAction } from "@/components/ui/form";

/** Creates an account from a one-time setup or invitation link, then signs in. */
export function NewAccountForm({ endpoint, token, submitLabel }: { endpoint: "/api/setup" | "/api/invites/accept"; token: string; submitLabel: string }) {
  const router = useRouter();
  const { busy, error, setError, run } = useAction({ keepBusyOnSuccess: true });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get("password") !== form.get("confirm")) {
      setError("The two passwords differ.");
      return;
    }
    await run(async () => {
      await callApi(endpoint, {
        method: "POST",
        body: JSON.stringify({ token, name: form.get("name"), email: form.get("email"), password: form.get("password") }),
      });
      router.replace("/");
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Field label="Name" name="name" autoComplete="name" required maxLength={100} />
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." />
      <Field label="Password again" name="confirm" type="password" autoComplete="new-password" required minLength={10} />
      <ErrorText>{error}</ErrorText>
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? "Creating…" : submitLabel}
      </Button>
    </form>
  );
}
