/** NUL cannot be stored in PostgreSQL text or jsonb; untrusted output (e.g. a dump of a process environment) may hold it. */
const withoutNul = (text: string) => (text.includes("\u0000") ? text.split("\u0000").join("\uFFFD") : text);

/** The last `max` characters of untrusted output, marked when cut. */
export function tail(raw: string, max: number): string {
  const text = withoutNul(raw);
  if (text.length <= max) return text;
  const marker = "…(earlier output cut)\n";
  return marker + text.slice(text.length - (max - marker.length));
}

/** The first `max` characters of untrusted text, marked when cut. */
export function head(raw: string, max: number): string {
  const text = withoutNul(raw);
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}
