// Access control as an attacker or a teammate meets it: every /api route is called as anonymous, viewer,
// operator, owner and share-link holder (the test fails when a route has no row); cross-origin and Origin-less
// writes, foreign Host headers and foreign-Origin sockets are refused; a stored GitHub token leaks nowhere.
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { type APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { io } from "socket.io-client";
import { OWNER_STATE } from "./accounts";
import { createRepository, createRun, makeGitRepo, uniqueName } from "./helpers";

type Who = "anonymous" | "viewer" | "operator" | "owner" | "share";
/** "ok": allowed (any status but 401/403, below 500); a number: exactly that status. */
type Expect = "ok" | number;
type Row = Record<Who, Expect>;

const member = (min: "viewer" | "operator" | "owner", share: Expect = 403): Row => ({
  anonymous: 401,
  viewer: min === "viewer" ? "ok" : 403,
  operator: min === "owner" ? 403 : "ok",
  owner: "ok",
  share,
});
const everyone = (status: Expect): Row => ({ anonymous: status, viewer: status, operator: status, owner: status, share: status });

/** The table: one row per route and method under app/api. */
const MATRIX: Record<string, Row> = {
  "GET /api/health": everyone(200),
  "GET /api/auth/[...all]": everyone(200),
  "POST /api/auth/[...all]": everyone(400),
  "POST /api/setup": everyone(400),
  "POST /api/invites/accept": everyone(400),
  "POST /api/invites": member("owner"),
  "GET /api/invites": member("owner"),
  "DELETE /api/invites/[id]": member("owner"),
  "GET /api/users": member("owner"),
  "PATCH /api/users/[id]": member("owner"),
  "DELETE /api/users/[id]": member("owner"),
  "GET /api/audit": member("owner"),
  "GET /api/repositories": member("viewer"),
  "POST /api/repositories": member("owner"),
  "GET /api/runs": member("viewer"),
  "POST /api/runs": member("operator"),
  "GET /api/runs/[id]": member("viewer", "ok"),
  "GET /api/runs/[id]/events": member("viewer", "ok"),
  "POST /api/runs/[id]/heartbeat": member("operator"),
  "POST /api/runs/[id]/pause": member("operator"),
  "POST /api/runs/[id]/resume": member("operator"),
  "POST /api/runs/[id]/cancel": member("operator"),
  "POST /api/runs/[id]/budget": member("operator"),
  "POST /api/runs/[id]/answers": member("operator"),
  "POST /api/runs/[id]/plan": member("operator"),
  "POST /api/runs/[id]/approve": member("operator"),
  "POST /api/runs/[id]/replan": member("operator"),
  "GET /api/runs/[id]/share-links": member("operator"),
  "POST /api/runs/[id]/share-links": member("operator"),
  "DELETE /api/share-links/[id]": member("operator"),
  // An unknown task id (the table's [id]): a share link learns nothing; reading its own run's tasks is in task-drawer.spec.ts.
  "GET /api/tasks/[id]": member("viewer"),
  "POST /api/tasks/[id]/retry": member("operator"),
  "POST /api/tasks/[id]/accept": member("operator"),
  "POST /api/tasks/[id]/reject": member("operator"),
  "POST /api/tasks/[id]/merge": member("operator"),
  "POST /api/approvals/[id]": member("operator"),
  // GitHub's webhook has no session: its HMAC signature is the credential, and these calls carry none.
  "POST /api/github/webhook": everyone(401),
  "GET /api/tokens": member("viewer"),
  "POST /api/tokens": member("viewer"),
  "DELETE /api/tokens/[id]": member("viewer"),
  // Outgoing webhooks are a person's own: anyone signed in may keep some; another's id is not found.
  "GET /api/webhooks": member("viewer"),
  "POST /api/webhooks": member("viewer"),
  "DELETE /api/webhooks/[id]": member("viewer"),
  "POST /api/webhooks/[id]/test": member("viewer"),
};

/** Every exported handler of every app/api route file, as "METHOD /api/path". */
function discoverRoutes(): string[] {
  const root = path.join(process.cwd(), "app", "api");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const route = `/api/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\/$/, "");
        const source = readFileSync(full, "utf8");
        for (const [, method] of source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) found.push(`${method} ${route}`);
      }
    }
  };
  walk(root);
  return found.sort();
}

const ANY_UUID = "00000000-0000-4000-8000-000000000000";
/** Contexts start with no cookies (the project's owner session is not inherited). */
const NO_STATE = { cookies: [], origins: [] };

test.describe.configure({ mode: "serial" });

let contexts: Record<Who, APIRequestContext>;
let runId: string;
let baseUrl: string;

test.beforeAll(async ({ baseURL }) => {
  baseUrl = baseURL!;
  const origin = { origin: baseUrl };
  const owner = await playwrightRequest.newContext({ baseURL: baseUrl, storageState: OWNER_STATE, extraHTTPHeaders: origin });
  const checkout = makeGitRepo();
  const repository = await createRepository(owner, { path: checkout.path });
  runId = (await createRun(owner, repository.id, "Access matrix run")).id;

  /** A teammate with a role: invited by the owner, signed in through the invitation. */
  const teammate = async (role: "viewer" | "operator") => {
    const invite = await owner.post("/api/invites", { data: { role } });
    expect(invite.status()).toBe(201);
    const token = new URL(((await invite.json()) as { url: string }).url).searchParams.get("token");
    const context = await playwrightRequest.newContext({ baseURL: baseUrl, storageState: NO_STATE, extraHTTPHeaders: origin });
    const accepted = await context.post("/api/invites/accept", {
      data: { token, name: role, email: `${uniqueName(role)}@example.test`, password: `${role} password for e2e` },
    });
    expect(accepted.status(), await accepted.text()).toBe(201);
    return context;
  };

  const shareResponse = await owner.post(`/api/runs/${runId}/share-links`);
  expect(shareResponse.status()).toBe(201);
  const shareToken = ((await shareResponse.json()) as { url: string }).url.split("/s/")[1]!;
  const share = await playwrightRequest.newContext({
    baseURL: baseUrl,
    storageState: NO_STATE,
    extraHTTPHeaders: { ...origin, cookie: `foreman_share=${shareToken}` },
  });
  contexts = {
    anonymous: await playwrightRequest.newContext({ baseURL: baseUrl, storageState: NO_STATE, extraHTTPHeaders: origin }),
    viewer: await teammate("viewer"),
    operator: await teammate("operator"),
    owner,
    share,
  };
});

test.afterAll(async () => {
  for (const context of Object.values(contexts ?? {})) await context.dispose();
});

test("every API route has a row in the access table", () => {
  expect(discoverRoutes()).toEqual(Object.keys(MATRIX).sort());
});

test("each route answers each kind of caller as the table says", async () => {
  const failures: string[] = [];
  for (const [key, row] of Object.entries(MATRIX)) {
    const [method, pattern] = key.split(" ") as [string, string];
    const url = pattern
      .replace("/api/auth/[...all]", method === "GET" ? "/api/auth/get-session" : "/api/auth/sign-in/email")
      // Cancelling the shared run would end it for the rows and tests after this one: cancel goes to an unknown run (404).
      .replace("/api/runs/[id]/cancel", `/api/runs/${ANY_UUID}/cancel`)
      .replace("/api/runs/[id]", `/api/runs/${runId}`)
      .replace("/api/users/[id]", "/api/users/no-such-user")
      .replace("[id]", ANY_UUID);
    for (const who of Object.keys(row) as Who[]) {
      const response = await contexts[who].fetch(url, { method, ...(method === "GET" ? {} : { data: {} }) });
      const status = response.status();
      const expected = row[who];
      const ok = expected === "ok" ? status !== 401 && status !== 403 && status < 500 : status === expected;
      if (!ok) failures.push(`${key} as ${who}: ${status}, expected ${expected} — ${(await response.text()).slice(0, 200)}`);
    }
  }
  expect(failures).toEqual([]);
});

test("writes without a same-site Origin, and foreign Host headers, are refused", async () => {
  const evil = await playwrightRequest.newContext({ baseURL: baseUrl, storageState: OWNER_STATE, extraHTTPHeaders: { origin: "http://evil.example" } });
  const crossSite = await evil.post("/api/runs", { data: {} });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("Cross-origin request from http://evil.example refused");
  const noOrigin = await playwrightRequest.newContext({ baseURL: baseUrl, storageState: OWNER_STATE, extraHTTPHeaders: {} });
  const missing = await noOrigin.post(`/api/runs/${runId}/heartbeat`);
  expect(missing.status()).toBe(403);
  expect(await missing.text()).toContain("Missing Origin header");
  // Sanity: the same session with the right Origin is accepted.
  expect((await contexts.owner.post(`/api/runs/${runId}/heartbeat`)).status()).toBe(202);
  await evil.dispose();
  await noOrigin.dispose();

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
  const { port } = new URL(baseUrl);
  const status = await new Promise<number>((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: "/api/health", headers: { host: `evil.example:${port}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
  expect(status).toBe(421);
});

test("a socket.io connection from a foreign Origin is refused", async () => {
  const cookie = JSON.parse(readFileSync(OWNER_STATE, "utf8")).cookies.map((c: { name: string; value: string }) => `${c.name}=${c.value}`).join("; ");
  const attempt = (origin: string) =>
    new Promise<string>((resolve) => {
      const socket = io(baseUrl, { transports: ["websocket"], reconnection: false, extraHeaders: { origin, cookie }, timeout: 5000 });
      socket.on("connect", () => {
        socket.disconnect();
        resolve("connected");
      });
      socket.on("connect_error", (error) => {
        socket.disconnect();
        resolve(`refused: ${error.message}`);
      });
    });
  expect(await attempt("http://evil.example")).toMatch(/^refused/);
  expect(await attempt(baseUrl)).toBe("connected");
});

test("a stored GitHub token appears in no API response, page, log line or process argument", async ({ page }) => {
  const secret = `ghp_${uniqueName("LEAKCHECK").replace("-", "")}${"x".repeat(20)}`;
  const checkout = makeGitRepo();
  const created = await contexts.owner.post("/api/repositories", { data: { name: uniqueName("tokened"), path: checkout.path, github: "acme/widgets", githubToken: secret } });
  expect(created.status()).toBe(201);
  const body = await created.text();
  expect(body).not.toContain(secret);
  expect(JSON.parse(body).repository.hasGithubToken).toBe(true);

  const seen: string[] = [];
  for (const url of ["/api/repositories", "/api/runs", `/api/runs/${runId}`, `/api/runs/${runId}/events?after=0`, "/api/audit", "/api/users", "/api/tokens"]) {
    seen.push(await (await contexts.owner.get(url)).text());
  }
  for (const url of ["/", `/runs/${runId}`, "/audit", "/settings/users", "/settings/tokens"]) {
    await page.goto(url);
    seen.push(await page.content());
  }
  expect(seen.filter((text) => text.includes(secret))).toEqual([]);

  const dataDir = process.env.FOREMAN_E2E_DATA_DIR!;
  for (const log of ["logs/foreman.log", "postgres.log"]) {
    expect(readFileSync(path.join(dataDir, log), "utf8").includes(secret), `${log} holds the token`).toBe(false);
  }
  const commandLines = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    });
  expect(commandLines.filter((line) => line.includes(secret))).toEqual([]);
  checkout.remove();
});
