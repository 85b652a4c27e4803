/**
 * Untrusted text (a pasted scope, a human's answer, a review comment, a CI log)
 * goes into prompts as quoted data between markers the text itself cannot
 * close, with a size cap, so it informs the model without instructing it.
 */
export function quoteUntrusted(label: string, text: string, maxChars = 200_000): string {
  const capped = text.length > maxChars ? `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} more characters cut]` : text;
  const marker = `${label.toUpperCase().replace(/[^A-Z]+/g, "_")}_${fence(capped)}`;
  return [`<<<${marker}`, capped, `${marker}>>>`].join("\n");
}

/** A marker suffix that does not occur in the text. */
function fence(text: string): string {
  let n = 0;
  while (text.includes(`_${n}>>>`) || text.includes(`<<<${n}`)) n++;
  return String(n);
}
