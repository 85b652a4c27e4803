import type { ScopeReview } from "@/lib/plans/schema";
import { assertNever } from "@/lib/shared/assert-never";
import { panelClass } from "./panel-styles";

type Severity = ScopeReview["risks"][number]["severity"];

function riskClass(severity: Severity): string {
  switch (severity) {
    case "high":
      return "border-red-300 bg-red-50 font-medium text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200";
    case "medium":
      return "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200";
    case "low":
      return "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300";
    default:
      return assertNever(severity, "risk severity");
  }
}

/** The manager's review of the scope: summary, risks (high first), possible collisions. */
export function ScopeReviewPanel({ review }: { review: ScopeReview }) {
  const risks = [...review.risks].sort((a, b) => Number(b.severity === "high") - Number(a.severity === "high"));
  return (
    <div className={panelClass}>
      <h3 className="font-medium">Scope review</h3>
      <p className="whitespace-pre-wrap">{review.summary}</p>
      {review.tooBroad ? <p className="text-amber-800 dark:text-amber-300">The manager finds this scope too broad for one run.</p> : null}
      {risks.length ? (
        <ul className="space-y-1" aria-label="Risks">
          {risks.map((risk, index) => (
            <li key={index} className={`rounded border px-2 py-1 ${riskClass(risk.severity)}`}>
              <span className="mr-2 text-xs uppercase">{risk.severity}</span>
              {risk.text}
            </li>
          ))}
        </ul>
      ) : null}
      {review.collisionRisks.length ? (
        <div>
          <p className="text-xs font-medium text-zinc-500">Possible collisions</p>
          <ul className="list-disc pl-5">
            {review.collisionRisks.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
