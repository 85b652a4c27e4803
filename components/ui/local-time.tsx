"use client";

import { useEffect, useState } from "react";

/**
 * A moment in the reader's own time zone. The server renders the UTC time
 * (it cannot know the zone), the browser switches to local after hydration,
 * so the two renders match.
 */
export function LocalTime({ at, withDate = false, className }: { at: string; withDate?: boolean; className?: string }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    const date = new Date(at);
    setLocal(withDate ? date.toLocaleString() : date.toLocaleTimeString());
  }, [at, withDate]);
  const utc = `${withDate ? at.slice(0, 10) + " " : ""}${at.slice(11, 19)} UTC`;
  return (
    <time dateTime={at} className={className}>
      {local ?? utc}
    </time>
  );
}
