/**
 * Where to go after signing in. `next` is resolved with `new URL` against the
 * public URL, exactly as a browser would resolve a Location header, and kept
 * only when it lands on that same origin; anything else (other hosts,
 * protocol-relative `//x`, `/\x`, tabs and newlines the URL parser strips,
 * other schemes) falls back to the home page. The result is a path, never an origin.
 */
export function safeNext(next: unknown, publicUrl: string): string {
  // A repeated `?next=a&next=b` arrives as an array: not a path.
  if (typeof next !== "string" || next === "") return "/";
  const base = new URL(publicUrl);
  // Control characters and backslashes have no business in a path we redirect to.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next) || !next.startsWith("/")) return "/";
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return "/";
  }
  if (resolved.origin !== base.origin) return "/";
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // A path starting with `//` or `/\` would be read as protocol-relative by whoever follows it.
  return /^\/[/\\]/.test(path) ? "/" : path;
}
