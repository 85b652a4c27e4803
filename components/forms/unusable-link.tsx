import Link from "next/link";
import { CardPage } from "@/components/ui/card-page";
import type { AccessLinkState } from "@/lib/auth/check-access-link";
import { assertNever } from "@/lib/shared/assert-never";

type Unusable = Exclude<AccessLinkState, "open">;

function explain(kind: "setup" | "invite", state: Unusable): { title: string; text: string } {
  const what = kind === "setup" ? "setup link" : "invitation";
  const fresh = kind === "setup" ? "Restart Foreman (npm start) to print a new setup link." : "Ask an owner for a new invitation.";
  switch (state) {
    case "used":
      return { title: `This ${what} was used`, text: `It worked once and made its account. If that was you, sign in. Otherwise: ${fresh}` };
    case "expired":
      return { title: `This ${what} expired`, text: fresh };
    case "unknown":
      return { title: `This ${what} does not work`, text: `It was revoked, replaced by a newer one, or copied incompletely. ${fresh}` };
    case "account_exists":
      return { title: "Foreman is set up already", text: "An account exists, so the setup link no longer works. Sign in, or ask an owner for an invitation." };
    default:
      return assertNever(state, "access link state");
  }
}

/** A one-time link that cannot work says so at once, instead of showing a form that would be refused. */
export function UnusableLink({ kind, state }: { kind: "setup" | "invite"; state: Unusable }) {
  const { title, text } = explain(kind, state);
  return (
    <CardPage title={title} lead={text}>
      <p className="text-sm" data-testid="unusable-link" data-state={state}>
        <Link href="/sign-in" className="font-medium underline underline-offset-2">
          Go to sign in
        </Link>
      </p>
    </CardPage>
  );
}
