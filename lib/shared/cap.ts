/** The last `max` characters of untrusted output, marked when cut. */
export function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = "…(earlier output cut)\n";
  return marker + text.slice(text.length - (max - marker.length));
}

/** The first `max` characters of untrusted text, marked when cut. */
export function head(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}
