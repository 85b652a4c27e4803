import type { ServerResponse } from "node:http";

/**
 * Headers for every response. The page CSP (with a per-request script nonce)
 * is set by proxy.ts; this is the part that holds for everything, API included.
 */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}
