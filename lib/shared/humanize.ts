/**
 * People read sentences, not JSON (issue #17): a model's structured answer
 * becomes the line it stands for, and an error that carries a service's JSON
 * body becomes that body's message. The raw text stays available to the UI
 * behind a "details" toggle; these only choose what is read first.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);
const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

function parseObject(text: string): Json | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * A manager's or worker's structured answer (ScopeReview, Plan, WorkerReport,
 * run summary, task review, triage) as one sentence; free text is returned as is.
 */
export function describeModelAnswer(text: string): string {
  const value = parseObject(text);
  if (!value) return text;
  const summary = str(value.summary);
  if (Array.isArray(value.tasks)) {
    const titles = value.tasks.map((task) => (isObject(task) ? `${str(task.key) ?? "?"} ${str(task.title) ?? ""}`.trim() : "")).filter(Boolean);
    return `Proposed a plan of ${titles.length} task(s): ${titles.join(" · ")}`;
  }
  if ("filesChanged" in value && str(value.status)) return `Reported ${str(value.status)!.replace("_", " ")}: ${summary ?? "(no summary)"}`;
  if ("questions" in value && str(value.verdict)) {
    const asks = count(value.questions);
    return `Reviewed the scope: ${value.verdict === "clear" ? "clear" : `${asks} question(s) for you`}. ${summary ?? ""}`.trim();
  }
  if ("sourcesChecked" in value && str(value.verdict)) return `Reviewed the work: ${str(value.verdict)}. ${summary ?? ""}`.trim();
  if ("nextActions" in value && summary) return `Wrote the run summary: ${summary}`;
  if (Array.isArray(value.items)) return `Sorted ${value.items.length} review comment(s).`;
  if (summary) return summary;
  return "Answered with structured data (see details).";
}

/** The message inside a JSON error body (`{"error":{"message":…}}`, `{"message":…}`, `{"detail":…}`), or null. */
function messageOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  if (isObject(value.error)) return str(value.error.message) ?? str(value.error.type);
  return str(value.error) ?? str(value.message) ?? str(value.detail);
}

/**
 * An error as a person reads it: a JSON body inside the text is replaced by
 * its message, and a scripted model's refusal says what to do about it.
 */
export function humanizeError(message: string): string {
  let text = message;
  const start = text.indexOf("{");
  if (start >= 0) {
    // The JSON body is the longest balanced object from the first brace that parses.
    for (let end = text.lastIndexOf("}"); end > start; end = text.lastIndexOf("}", end - 1)) {
      const candidate = text.slice(start, end + 1);
      let parsed: unknown;
      try {
        parsed = JSON.parse(candidate);
      } catch {
        continue;
      }
      const inner = messageOf(parsed);
      text = `${text.slice(0, start)}${inner ?? "(a response with no message)"}${text.slice(end + 1)}`;
      break;
    }
  }
  text = text.replace(/\\"/g, '"');
  if (/scripted model: no scenario matches/.test(text)) {
    return "The demo's scripted model has no answer for this prompt. Start it with `npm run demo` (it improvises typed scopes and edited goals), or use a real model.";
  }
  return text.trim();
}

/** Reasons stored before they named people said `by user <id>`: never show the id. */
export function hideUserIds(text: string): string {
  return text.replace(/\bby user [A-Za-z0-9_-]{8,}/g, "by a person");
}

/** A stored reason or error, as a person reads it. */
export function readable(text: string): string {
  return hideUserIds(humanizeError(text));
}
