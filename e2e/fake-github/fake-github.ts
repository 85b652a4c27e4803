import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { API_ROUTES } from "./api-routes";
import { observeTips } from "./checks";
import { CONTROL_ROUTES } from "./control-routes";
import { Core } from "./core";
import { serveGitHttp } from "./git-http";
import { ApiError, apiToken, basicCredentials, etagMatches, etagOf, headersWithoutAuth, headerValue, matchRoute, readBody, sendJson } from "./http";
import { FakeGitHubScripting } from "./scripting";
import type { RecordedRequest } from "./state";
import { repoKey, timestamp } from "./state";

/**
 * A local GitHub for tests: the REST endpoints Foreman calls (api-routes.ts),
 * git smart HTTP over real bare repositories, and a scripting surface
 * (scripting.ts) — this class in-process, the same operations under
 * `/_fake/...` over HTTP.
 */

export type FakeGitHubOptions = {
  /** The one token the API (Authorization: token/Bearer) and git (Basic password) accept. */
  token: string;
  port?: number;
  host?: string;
  /** Holds the bare repositories; a temporary directory, removed on close, by default. */
  dataDir?: string;
  /** The login the token belongs to. */
  viewer?: string;
  log?: (line: string) => void;
};

const RATE_LIMIT = 5000;
const RATE_WINDOW_SECONDS = 3600;
const GIT_ROUTE = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/;

const epochSeconds = () => Math.floor(Date.now() / 1000);

export class FakeGitHub extends FakeGitHubScripting {
  private readonly sockets = new Set<Socket>();
  private window = { reset: epochSeconds() + RATE_WINDOW_SECONDS, used: 0 };

  private constructor(
    core: Core,
    readonly token: string,
    private readonly server: Server,
    private readonly ownedDataDir: string | null,
    private readonly log: (line: string) => void,
  ) {
    super(core);
  }

  static async start(options: FakeGitHubOptions): Promise<FakeGitHub> {
    const host = options.host ?? "127.0.0.1";
    const ownedDataDir = options.dataDir ? null : mkdtempSync(path.join(os.tmpdir(), "fake-github-"));
    const dataDir = options.dataDir ?? ownedDataDir!;
    const server = createServer();
    // Idle connections stay open longer than a test's clients keep them: at Node's default 5 s the fake closed a
    // kept-alive connection just as Playwright's request client reused it (ECONNRESET, a flaky CI run).
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const core = new Core({ url: `http://${host}:${port}` }, options.viewer ?? "foreman-bot", path.join(dataDir, "repos"));
    const fake = new FakeGitHub(core, options.token, server, ownedDataDir, options.log ?? (() => {}));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      fake.handle(req, res).catch((error: unknown) => {
        fake.log(`request failed: ${error instanceof Error ? error.stack : String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { message: "fake-github: internal error", documentation_url: "" });
        else res.destroy();
      });
    });
    server.on("connection", (socket) => {
      fake.sockets.add(socket);
      socket.on("close", () => fake.sockets.delete(socket));
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.ownedDataDir) rmSync(this.ownedDataDir, { recursive: true, force: true });
  }

  // --- Serving ---

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname.startsWith("/_fake/")) return this.handleControl(req, res, url);
    const gitMatch = GIT_ROUTE.exec(url.pathname);
    const record: RecordedRequest = {
      seq: this.core.store.requests.length + 1,
      at: timestamp(),
      kind: gitMatch ? "git" : "api",
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      route: null,
      status: 0,
      ifNoneMatch: headerValue(req, "if-none-match") !== undefined,
      headers: headersWithoutAuth(req),
    };
    this.core.store.requests.push(record);
    if (gitMatch) await this.handleGit(req, res, record, gitMatch);
    else await this.handleApi(req, res, url, record);
    this.log(`${record.method} ${record.path}${record.query ? `?${record.query}` : ""} → ${record.status}`);
  }

  private async handleGit(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, match: RegExpExecArray): Promise<void> {
    record.route = `GIT ${match[3]}`;
    const credentials = basicCredentials(req);
    if (!credentials || credentials.password !== this.token) {
      // git only asks its credential helper after a 401 that names Basic auth.
      record.status = 401;
      res.writeHead(401, { "www-authenticate": 'Basic realm="fake-github"', "content-type": "text/plain" });
      res.end("Authentication required\n");
      return;
    }
    const repo = this.core.store.repos.get(repoKey(match[1]!, match[2]!));
    if (!repo) {
      record.status = 404;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Repository not found\n");
      return;
    }
    const pushed = match[3] === "/git-receive-pack";
    record.status = await serveGitHttp(req, res, {
      projectRoot: this.core.reposRoot,
      pathInfo: `/${repo.owner}/${repo.name}.git${match[3]}`,
      query: record.query,
      remoteUser: credentials.username,
      // Auto checks exist before the push returns, so a test never races them.
      beforeEnd: pushed ? () => observeTips(this.core, repo) : undefined,
    });
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL, record: RecordedRequest): Promise<void> {
    const answer = (status: number, body: unknown, headers: Record<string, string>) => {
      record.status = status;
      sendJson(res, status, body, headers);
    };
    // Matched before auth, so a refused call still shows which endpoint it was for.
    const match = matchRoute(API_ROUTES, record.method, url.pathname);
    if (match) record.route = `${match.route.method} ${match.route.pattern}`;
    try {
      const token = apiToken(req);
      if (token === null) throw new ApiError(401, "Requires authentication");
      if (token !== this.token) throw new ApiError(401, "Bad credentials");
      this.enforceRateLimit();
      if (!match) throw new ApiError(404, "Not Found");
      const raw = await readBody(req);
      const result = await match.route.handler({ core: this.core, url, raw }, match.params);
      const headers = { ...result.headers };
      if (record.method === "GET" && result.status === 200) {
        const etag = etagOf(JSON.stringify(result.body));
        headers.etag = etag;
        if (etagMatches(headerValue(req, "if-none-match"), etag)) {
          // GitHub does not count a 304 against the rate limit.
          record.status = 304;
          res.writeHead(304, { etag, ...this.rateHeaders() });
          res.end();
          return;
        }
      }
      this.window.used += 1;
      answer(result.status, result.body, { ...headers, ...this.rateHeaders() });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status !== 401 && error.status !== 403) this.window.used += 1;
      answer(error.status, error.body(), { ...this.rateHeaders(), ...error.headers });
    }
  }

  private enforceRateLimit(): void {
    if (this.rateLimitedUntil === null) return;
    if (epochSeconds() >= this.rateLimitedUntil) {
      this.rateLimitedUntil = null;
      return;
    }
    throw new ApiError(
      403,
      "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.",
      { documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
      {
        "x-ratelimit-limit": String(RATE_LIMIT),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": String(RATE_LIMIT),
        "x-ratelimit-reset": String(this.rateLimitedUntil),
        "x-ratelimit-resource": "core",
      },
    );
  }

  /** Sent with every API answer, as GitHub does; Octokit logs the request id. */
  private rateHeaders(): Record<string, string> {
    if (epochSeconds() >= this.window.reset) this.window = { reset: epochSeconds() + RATE_WINDOW_SECONDS, used: 0 };
    return {
      "x-github-request-id": randomUUID().slice(0, 18).toUpperCase(),
      "x-ratelimit-limit": String(RATE_LIMIT),
      "x-ratelimit-remaining": String(Math.max(RATE_LIMIT - this.window.used, 0)),
      "x-ratelimit-used": String(this.window.used),
      "x-ratelimit-reset": String(this.window.reset),
      "x-ratelimit-resource": "core",
    };
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = matchRoute(CONTROL_ROUTES, req.method ?? "GET", url.pathname);
    if (!match) return sendJson(res, 404, { message: `fake-github: no control route ${req.method} ${url.pathname}` });
    try {
      const raw = await readBody(req);
      const result = await match.route.handler({ fake: this, url, raw }, match.params);
      sendJson(res, result.status, result.body, result.headers);
    } catch (error) {
      if (error instanceof ApiError) return sendJson(res, error.status, error.body());
      // Scripting mistakes (unknown repository, bad input) are the test's to see, with the reason.
      sendJson(res, 400, { message: error instanceof Error ? error.message : String(error) });
    }
  }
}
