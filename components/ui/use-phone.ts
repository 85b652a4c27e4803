"use client";

import { useSyncExternalStore } from "react";

/** Below Tailwind's `sm` breakpoint (40rem), where the CSS switches to the phone layout too. */
const PHONE_QUERY = "(width < 40rem)";

function subscribe(onChange: () => void) {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the screen is phone-sized; false on the server, so the first render is the desktop one. */
export function usePhone(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(PHONE_QUERY).matches, () => false);
}
