/**
 * The fake GitHub of the browser tests (e2e/fake-github), shared by
 * playwright.config.ts and the specs: its port follows PLAYWRIGHT_PORT.
 */
export const E2E_PORT = Number(process.env.PLAYWRIGHT_PORT ?? 3217);
/** The fake accepts this token for its API and its git remotes. */
export const GITHUB_TOKEN = "e2e-github-token";
export const FAKE_GITHUB_PORT = E2E_PORT + 2;
export const FAKE_GITHUB_URL = `http://127.0.0.1:${FAKE_GITHUB_PORT}`;
/** Foreman verifies webhooks with this secret; the fake signs with it. */
export const WEBHOOK_SECRET = "e2e-webhook-secret";
