import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { serveRunSnapshot } from "../../lib/server/snapshot-route";

/** A response that records what was written to it. */
function recorder() {
  const written: { status?: number; headers?: Record<string, unknown>; body?: string } = {};
  let ended: () => void = () => {};
  const done = new Promise<void>((resolve) => (ended = resolve));
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, unknown>) {
      written.status = status;
      written.headers = headers;
      this.headersSent = true;
      return this;
    },
    end(body: Buffer) {
      written.body = body.toString("utf8");
      ended();
      return this;
    },
  };
  return { res: res as unknown as ServerResponse, written, done };
}

const request = (method: string, url: string, headers: Record<string, string> = {}) =>
  ({ method, url, headers: { host: "127.0.0.1:3999", ...headers } }) as unknown as IncomingMessage;

describe("server.ts's own GET /api/runs/:id", () => {
  it.each([
    ["GET", "/api/runs"],
    ["GET", "/api/runs/"],
    ["GET", "/api/runs?status=running"],
    ["GET", "/api/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384/events?after=0"],
    ["GET", "/api/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384/"],
    ["HEAD", "/api/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384"],
    ["POST", "/api/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384"],
    ["GET", "/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384"],
  ])("leaves %s %s to Next, untouched", (method, url) => {
    const { res, written } = recorder();
    expect(serveRunSnapshot(request(method, url), res)).toBe(false);
    expect(written).toEqual({});
  });

  it.each<Record<string, string>>([{ "content-length": "5000000" }, { "transfer-encoding": "chunked" }])("leaves a GET that sends a body (%o) to the body cap and Next", (headers) => {
    const { res, written } = recorder();
    expect(serveRunSnapshot(request("GET", "/api/runs/8b9023e4-1f77-4772-9b82-6210f4ee8384", headers), res)).toBe(false);
    expect(written).toEqual({});
  });

  it("answers a malformed id with the routes' own 400 and its message", async () => {
    const { res, written, done } = recorder();
    expect(serveRunSnapshot(request("GET", "/api/runs/not-an-id?x=1"), res)).toBe(true);
    await done;
    expect(written.status).toBe(400);
    expect(JSON.parse(written.body!)).toMatchObject({ error: { code: "validation_failed", message: "must be an id (uuid)" } });
  });
});
