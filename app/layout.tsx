import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "@/components/forms/sign-out-button";
import { Providers } from "@/components/providers";
import { KeyboardShortcuts } from "@/components/ui/keyboard-shortcuts";
import { hasRole } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { containmentWarnings, modelWarnings, runnerFaults } from "@/lib/health";
import { getDb } from "@/lib/server/context";
import { pageActor } from "@/lib/server/page-access";
import "./globals.css";

// Every page depends on who is looking (session, share link): nothing is prerendered.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Foreman", template: "%s · Foreman" },
  description: "Review a scope, plan worker tasks, run Codex workers, verify, hand off.",
};

/**
 * The menu's links. Its settings pages are not prefetched (`prefetch={false}` below): every page load would otherwise
 * render them on the server at once, in the very moments the page itself goes live. They load when clicked.
 */
const navLink = "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100";

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const actor = await pageActor();
  const member = actor.kind === "user" || actor.kind === "token" ? actor : null;
  // Said on every page, to anyone signed in (read together, not one after another): workers that run uncontained or
  // cannot run; whether the runners have a model to talk to, with the fix when they have none; and, for a while, that
  // a runner failed and what became of its work.
  const [warnings, modelNotes, faults] =
    actor.kind === "anonymous" ? [[], [], []] : await Promise.all([containmentWarnings(getDb()), modelWarnings(getDb()), runnerFaults(getDb())]);
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
          <nav className="mx-auto flex min-h-12 max-w-6xl flex-wrap items-center gap-x-5 gap-y-1 px-4 py-2 text-sm" aria-label="Main">
            <Link href="/" className="font-semibold tracking-tight">
              Foreman
            </Link>
            {member ? (
              <>
                <Link href="/" className={navLink}>
                  Runs
                </Link>
                <Link href="/settings/tokens" className={navLink} prefetch={false}>
                  API tokens
                </Link>
                <Link href="/settings/notifications" className={navLink} prefetch={false}>
                  Notifications
                </Link>
                {hasRole(member.role, "owner") ? (
                  <>
                    <Link href="/settings/users" className={navLink} prefetch={false}>
                      Users
                    </Link>
                    <Link href="/audit" className={navLink} prefetch={false}>
                      Audit log
                    </Link>
                  </>
                ) : null}
                <span className="ml-auto flex min-w-0 items-center gap-4">
                  <span className="truncate text-xs text-zinc-500" data-testid="signed-in-as">
                    {member.email} · {member.role}
                  </span>
                  <SignOutButton />
                </span>
              </>
            ) : actor.kind === "share" ? (
              <span className="ml-auto text-xs text-zinc-500">Shared view · read-only</span>
            ) : null}
          </nav>
        </header>
        {warnings.map((warning) => (
          <p key={warning} role="alert" className="bg-red-100 px-4 py-1.5 text-center text-xs font-medium text-red-900 dark:bg-red-950 dark:text-red-200" data-testid="containment-banner">
            {warning}
          </p>
        ))}
        {modelNotes.map((note) => (
          <p key={note} role="alert" className="bg-amber-100 px-4 py-1.5 text-center text-xs font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-200" data-testid="model-banner">
            {note}
          </p>
        ))}
        {faults.map((fault) => (
          <p key={fault} role="status" className="bg-sky-100 px-4 py-1.5 text-center text-xs text-sky-950 dark:bg-sky-950 dark:text-sky-200" data-testid="runner-fault-banner">
            {fault}
          </p>
        ))}
        {env().demo ? (
          <p className="bg-amber-100 px-4 py-1.5 text-center text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="demo-banner">
            Demo: the model is scripted (e2e/scripted-model), not a real AI. Nothing leaves this machine.
          </p>
        ) : null}
        <Providers>
          <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
          <KeyboardShortcuts />
        </Providers>
      </body>
    </html>
  );
}
