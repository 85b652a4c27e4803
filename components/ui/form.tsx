"use client";

import { type InputHTMLAttributes, type ReactNode, useCallback, useState } from "react";

/** Small form primitives shared by the account pages. */
export function Field({ label, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  return (
    <label className="block space-y-1 text-sm">
      <span className="font-medium">{label}</span>
      <input
        {...input}
        className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900"
      />
      {hint ? <span className="block text-xs text-zinc-500">{hint}</span> : null}
    </label>
  );
}

/** A titled box of a settings or form page: its heading names the section for screen readers. */
export function FormSection({ id, title, className = "", children }: { id: string; title: string; className?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={`${className} space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900`.trim()}>
      <h2 id={id} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Button({ children, variant = "primary", ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "primary" | "secondary" | "danger" }) {
  const styles = {
    primary: "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300",
    secondary: "border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
    danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50 dark:border-red-900 dark:bg-zinc-900 dark:text-red-300",
  }[variant];
  return (
    <button {...props} className={`inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium disabled:opacity-50 ${styles} ${props.className ?? ""}`}>
      {children}
    </button>
  );
}

export function ErrorText({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {children}
    </p>
  );
}

/**
 * One user action at a time: `busy` while it runs, its error as text. With
 * `keepBusyOnSuccess` the button stays disabled after success (the page is
 * navigating away).
 */
export function useAction(options: { keepBusyOnSuccess?: boolean } = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { keepBusyOnSuccess = false } = options;
  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
        if (!keepBusyOnSuccess) setBusy(false);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
        setBusy(false);
      }
    },
    [keepBusyOnSuccess],
  );
  return { busy, error, setError, run };
}

/** A refusal that says when to ask again (429 with Retry-After or better-auth's X-Retry-After, in seconds). */
export class RetryLaterError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${waitText(retryAfterSeconds)}.`);
  }
}

/** "45 seconds", "1 minute", "3 minutes": how long to wait, as a person says it. */
export function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** Seconds from a 429's headers, or null when it says nothing usable (an HTTP date is not sent by Foreman). */
function retryAfterSeconds(headers: Headers): number | null {
  const raw = headers.get("x-retry-after") ?? headers.get("retry-after");
  const seconds = raw === null ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.max(1, Math.ceil(seconds)) : null;
}

/**
 * Calls a Foreman API route and turns its error into a thrown Error: `{error: {message}}` from Foreman's
 * routes, `{message}` from better-auth's (/api/auth: a wrong password, too many sign-in attempts). A 429
 * that says when to try again throws RetryLaterError.
 */
export async function callApi<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    credentials: "same-origin",
  });
  const body = (await response.json().catch(() => null)) as { error?: { message?: string }; message?: unknown } | null;
  if (!response.ok) {
    const wait = response.status === 429 ? retryAfterSeconds(response.headers) : null;
    if (wait !== null) throw new RetryLaterError(wait);
    const message = body?.error?.message ?? (typeof body?.message === "string" && body.message ? body.message : null);
    throw new Error(message ?? `Request failed (${response.status}).`);
  }
  return body as T;
}
