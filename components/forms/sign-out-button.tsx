"use client";

import { useRouter } from "next/navigation";
import { callApi } from "@/components/ui/form";

export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      onClick={async () => {
        await callApi("/api/auth/sign-out", { method: "POST", body: "{}" }).catch(() => null);
        router.replace("/sign-in");
        router.refresh();
      }}
    >
      Sign out
    </button>
  );
}
