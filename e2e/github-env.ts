import { execFileSync } from "node:child_process";

/**
 * The ports and secrets of the browser tests, shared by playwright.config.ts
 * and the specs. Foreman's web takes the base port, the scripted model the
 * next, the fake GitHub (e2e/fake-github) the one after. Without
 * PLAYWRIGHT_PORT the main Playwright process picks three free ports once and
 * hands them to its workers through the environment, so two runs on one
 * machine never collide.
 */
function freeBasePort(): number {
  const script = `
    const net = require("node:net");
    const free = (port) => new Promise((resolve) => {
      const server = net.createServer().once("error", () => resolve(false)).listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    (async () => {
      for (let tries = 0; tries < 50; tries++) {
        const base = 20000 + Math.floor(Math.random() * 40000);
        if ((await free(base)) && (await free(base + 1)) && (await free(base + 2))) { process.stdout.write(String(base)); return; }
      }
      process.exit(1);
    })();`;
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

process.env.PLAYWRIGHT_PORT ??= String(freeBasePort());
export const E2E_PORT = Number(process.env.PLAYWRIGHT_PORT);
/** The fake accepts this token for its API and its git remotes. */
export const GITHUB_TOKEN = "e2e-github-token";
export const FAKE_GITHUB_PORT = E2E_PORT + 2;
export const FAKE_GITHUB_URL = `http://127.0.0.1:${FAKE_GITHUB_PORT}`;
/** Foreman verifies webhooks with this secret; the fake signs with it. */
export const WEBHOOK_SECRET = "e2e-webhook-secret";
