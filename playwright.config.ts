import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { OWNER_STATE } from "./e2e/accounts";
import { E2E_PORT, FAKE_GITHUB_PORT, FAKE_GITHUB_URL, GITHUB_TOKEN, WEBHOOK_SECRET } from "./e2e/github-env";

/**
 * Browser tests against the production build, started exactly as `npm start`
 * does it (DESIGN.md §10): supervisor, embedded PostgreSQL, web and runner.
 * Every test run gets a fresh data directory, so no state leaks between runs
 * and the developer's own `.foreman` (and port 3000) are left alone.
 */
const port = E2E_PORT;
const modelPort = port + 1;


const baseURL = `http://127.0.0.1:${port}`;


// Playwright loads this file again in each worker process; the data directory is
// made once, in the main process, and handed to the workers through the environment.
let dataDir = process.env.FOREMAN_E2E_DATA_DIR;
if (!dataDir) {
  dataDir = mkdtempSync(path.join(tmpdir(), "foreman-e2e-"));
  process.env.FOREMAN_E2E_DATA_DIR = dataDir;
  const created = dataDir;
  // Runs after the web server was stopped. A failed run keeps its data (postgres.log) for a look.
  process.on("exit", (code) => {
    if (code === 0 && !process.env.FOREMAN_E2E_KEEP_DATA) rmSync(created, { recursive: true, force: true });
    else console.log(`[e2e] Foreman data kept in ${created}`);
  });
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  fullyParallel: false,
  reporter: [
    ["list"],
    ["html", { open: "never", outputFolder: "playwright-report" }],
    // `npm test` reads the counts from here for its closing summary line.
    ...(process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["json"] as ["json"]] : []),
  ],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download does not work here (DESIGN.md §11).
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [
    // Creates the owner through the first start's setup link and keeps the session.
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "chromium",
      dependencies: ["setup"],
      testIgnore: /auth\.setup\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        storageState: OWNER_STATE,
        // State-changing API calls from tests carry the Origin a browser would send.
        extraHTTPHeaders: { origin: baseURL },
      },
    },
  ],
  webServer: [
  {
    // The scripted model (e2e/scripted-model) plays the manager and the workers for the real codex binary;
    // threads no scenario selects are improvised as in `npm run demo`.
    command: `node --import tsx e2e/scripted-model/main.ts --port ${modelPort} --quiet --improvise`,
    port: modelPort,
    reuseExistingServer: false,
    timeout: 60_000,
    gracefulShutdown: { signal: "SIGINT", timeout: 5_000 },
  },
  {
    // GitHub for the hand-off specs: REST API, git remotes and signed webhooks, with a scripting API under /_fake.
    command: `node --import tsx e2e/fake-github/main.ts --port ${FAKE_GITHUB_PORT} --token ${GITHUB_TOKEN} --quiet`,
    url: `${FAKE_GITHUB_URL}/_fake/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    gracefulShutdown: { signal: "SIGINT", timeout: 5_000 },
  },
  {
    command: "node --import tsx --import ./scripts/node-hooks.mjs scripts/start.ts",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    // SIGINT reaches the supervisor, which stops web and runner, then PostgreSQL, cleanly.
    gracefulShutdown: { signal: "SIGINT", timeout: 15_000 },
    env: {
      FOREMAN_DATA_DIR: dataDir,
      HOST: "127.0.0.1",
      PORT: String(port),
      FOREMAN_PUBLIC_URL: baseURL,
      // Empty counts as unset (lib/env.ts): use the embedded PostgreSQL, never a developer's database.
      DATABASE_URL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      FOREMAN_MODEL_BASE_URL: `http://127.0.0.1:${modelPort}/v1`,
      FOREMAN_MODEL: "gpt-5.5",
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // Repositories that name GitHub hand off to the fake; the token is stored per repository (encrypted), not here.
      GITHUB_API_URL: FAKE_GITHUB_URL,
    },
  },
  ],
});
