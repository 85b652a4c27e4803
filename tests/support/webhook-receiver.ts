import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
/** What the receiver answers a path with, given how many requests that path had before this one. */
export type Behaviour = (previous: number) => { status: number; headers?: Record<string, string> };

/**
 * A real HTTP receiver for outgoing webhooks, on a free port of 127.0.0.1:
 * records every request and answers each path as its behaviour says (200 by
 * default). Used by vitest and Playwright alike: the caller closes it.
 */
export async function startWebhookReceiver(behaviours: Record<string, Behaviour> = {}) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const previous = received.filter((entry) => entry.path === path).length;
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = behaviours[path]?.(previous) ?? { status: 200 };
      response.writeHead(answer.status, answer.headers).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { base, received, at: (path: string) => received.filter((entry) => entry.path === path), close };
}
