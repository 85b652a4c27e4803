import { describeMoment } from "./moment-of-event";
import { DELIVERY_MAX_ATTEMPTS, type DeliveryMoment, type DeliveryStatus } from "./status";

export type DeliveryTry = { number: number; statusCode: number | null; error: string | null; durationMs: number };

export type DeliveryLogRow = {
  moment: DeliveryMoment;
  text: string;
  merged: number;
  status: DeliveryStatus;
  attempts: number;
  endpointName: string;
  runTitle: string | null;
  taskKey: string | null;
  tries: DeliveryTry[];
};

/** The delivery log in sentences (the settings page): what was said, to whom, and how it went. */
export function describeDelivery(row: DeliveryLogRow): { message: string; outcome: string; tries: string[] } {
  const message = describeMoment({ moment: row.moment, runTitle: row.runTitle, taskKey: row.taskKey, text: row.text, merged: row.merged });
  const lastError = row.tries.at(-1)?.error ?? "no reason recorded";
  const to = `“${row.endpointName}”`;
  let outcome: string;
  switch (row.status) {
    case "delivered":
      outcome = `Delivered to ${to}${row.attempts > 1 ? ` on try ${row.attempts}` : ""}.`;
      break;
    case "failed":
      outcome = `Not delivered to ${to}: Foreman gave up after ${row.attempts} ${row.attempts === 1 ? "try" : "tries"}; the last failed because ${lastError}.`;
      break;
    case "pending":
      outcome =
        row.attempts === 0
          ? `Waiting to be sent to ${to}.`
          : `Try ${row.attempts} of ${DELIVERY_MAX_ATTEMPTS} to ${to} failed because ${lastError}; Foreman tries again shortly.`;
      break;
  }
  return { message, outcome, tries: row.tries.map(describeTry) };
}

function describeTry(attempt: DeliveryTry): string {
  const after = `after ${attempt.durationMs} ms`;
  if (!attempt.error) return `Try ${attempt.number}: the receiver answered ${attempt.statusCode} ${after}.`;
  return `Try ${attempt.number} failed ${after}: ${attempt.error}.`;
}
