import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { checkModel, NO_MODEL_FIX } from "../../lib/model-check";

describe("whether Foreman has a model", () => {
  it("with no endpoint, key or codex login it says the fix", async () => {
    expect(await checkModel({ baseUrl: null, apiKey: null, loginFile: null })).toEqual({ usable: false, how: NO_MODEL_FIX });
  });

  it("a key or Codex's login is enough", async () => {
    expect((await checkModel({ baseUrl: null, apiKey: "sk-test", loginFile: null })).usable).toBe(true);
    expect(await checkModel({ baseUrl: null, apiKey: null, loginFile: "/home/me/.codex/auth.json" })).toEqual({ usable: true, how: "Codex's login (/home/me/.codex/auth.json)" });
  });

  it("an endpoint counts when it answers, and says so when it does not", async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect((await checkModel({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: null, loginFile: null })).usable).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // The same port, now closed: nothing listens there.
    const closed = await checkModel({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: "sk-test", loginFile: null });
    expect(closed.usable).toBe(false);
    expect(closed.how).toMatch(/does not answer/);
  });
});
