import type { IncomingMessage } from "node:http";

/** A Node request's headers as a fetch `Headers`, for the checks that take one (lib/auth/access.ts, better-auth). */
export function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  return headers;
}
