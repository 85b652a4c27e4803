"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button, callApi, ErrorText, Field, RetryLaterError, useAction, waitText } from "@/components/ui/form";

/** Seconds left until `at` (ms), ticking once a second; 0 once it has passed. */
function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const { busy, error, run } = useAction({ keepBusyOnSuccess: true });
  // When the rate limit lets the next attempt through; the button waits for it and says how long.
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const waiting = useSecondsUntil(retryAt);

  const [limitMessage, setLimitMessage] = useState<string | null>(null);
  // The limit's own message stays put while it lasts (an alert is not re-read every second), then says it is over.
  const shownError = limitMessage !== null && error === limitMessage && waiting === 0 ? "You can try again now." : error;

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await run(async () => {
      try {
        await callApi("/api/auth/sign-in/email", { method: "POST", body: JSON.stringify({ email: form.get("email"), password: form.get("password") }) });
      } catch (failure) {
        if (failure instanceof RetryLaterError) {
          setRetryAt(Date.now() + failure.retryAfterSeconds * 1000);
          setLimitMessage(failure.message);
        }
        throw failure;
      }
      router.replace(next);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
      <Field label="Email" name="email" type="email" autoComplete="username" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <ErrorText>{shownError}</ErrorText>
      <Button type="submit" disabled={busy || waiting > 0} className="w-full">
        {busy ? "Signing in…" : waiting > 0 ? `Sign in (wait ${waitText(waiting)})` : "Sign in"}
      </Button>
    </form>
  );
}
