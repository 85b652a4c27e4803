"use client";

import { useEffect, useRef } from "react";

/**
 * A moment in the reader's own time zone. The server renders the UTC time
 * (it cannot know the zone), so hydration matches; the browser then writes
 * its local time into the element itself: hundreds of times on a run page
 * cost no second render of React's tree. React leaves that text alone until
 * `at` changes, and the effect writes it again then.
 */
export function LocalTime({ at, withDate = false, className }: { at: string; withDate?: boolean; className?: string }) {
  const element = useRef<HTMLTimeElement>(null);
  useEffect(() => {
    const date = new Date(at);
    // Written into React's own text node, so a later change of `at` updates the node on screen.
    const text = element.current?.firstChild;
    if (text) text.nodeValue = withDate ? date.toLocaleString() : date.toLocaleTimeString();
  }, [at, withDate]);
  const utc = `${withDate ? at.slice(0, 10) + " " : ""}${at.slice(11, 19)} UTC`;
  return (
    <time ref={element} dateTime={at} className={className}>
      {utc}
    </time>
  );
}
