import type { NeedsYou } from "@/lib/runs/needs-you";
import { assertNever } from "@/lib/shared/assert-never";

function tone(level: NeedsYou["tone"]): string {
  switch (level) {
    case "urgent":
      return "bg-red-600 text-white";
    case "waiting":
      return "bg-amber-500 text-zinc-950";
    case "none":
      return "";
    default:
      return assertNever(level, "needs-you tone");
  }
}

/** "needs you · 2", with what it is waiting for said in words next to it (issue #17). */
export function NeedsYouBadge({ needs, showReasons = false }: { needs: NeedsYou; showReasons?: boolean }) {
  if (needs.count === 0) return null;
  const reasons = needs.reasons.join(", ");
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="needs-you" data-count={needs.count} data-tone={needs.tone}>
      <span className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-semibold ${tone(needs.tone)}`} title={reasons}>
        needs you · {needs.count}
      </span>
      {showReasons ? <span className="text-xs text-zinc-700 dark:text-zinc-300">{reasons}</span> : null}
    </span>
  );
}
