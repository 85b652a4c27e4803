import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";

/**
 * Headers for every response. The page CSP (with a per-request script nonce)
 * is set by proxy.ts; this is the part that holds for everything, API and
 * socket.io included.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

/**
 * socket.io answers `/socket.io/` requests from a request listener it installs
 * in front of the server's own, so those answers (handshakes, polling, its 400s
 * and 403s) would skip the headers: put one listener that sets them in front of all.
 */
export function secureEveryResponse(server: HttpServer): void {
  const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(res);
    for (const listener of listeners) listener.call(server, req, res);
  });
}
