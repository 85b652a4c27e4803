import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

/** Request and response plumbing shared by the API and the control routes. */

const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const DOCS = "https://docs.github.com/rest";

/** An answer in GitHub's error shape: `{ message, documentation_url, status, ...extra }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, documentation_url: DOCS, status: String(this.status), ...this.extra };
  }
}

export type ApiResult = { status: number; body: unknown; headers?: Record<string, string> };

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body with a schema: 400 for broken JSON, 422 "Validation Failed" for the wrong shape, as GitHub answers. */
export function parseJson<S extends z.ZodType>(raw: string, schema: S): z.output<S> {
  let value: unknown = {};
  if (raw.trim() !== "") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ApiError(400, "Problems parsing JSON");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({ resource: "Request", field: issue.path.join("."), code: "invalid", message: issue.message }));
    throw new ApiError(422, "Validation Failed", { errors });
  }
  return parsed.data;
}

/** GitHub sends weak ETags; a client may echo either form. */
export const etagOf = (body: string) => `W/"${createHash("sha256").update(body).digest("hex").slice(0, 40)}"`;

export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token of `Authorization: token X` or `Bearer X`; null when absent or another scheme. */
export function apiToken(req: IncomingMessage): string | null {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(headerValue(req, "authorization") ?? "");
  return match ? match[1]! : null;
}

/** `Authorization: Basic …` as {username, password}; null when absent or malformed. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | null {
  const match = /^basic\s+(\S+)$/i.exec(headerValue(req, "authorization") ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function headersWithoutAuth(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === "authorization" || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export type Route<C> = {
  method: string;
  /** e.g. `/repos/:owner/:repo/pulls/:number` */
  pattern: string;
  handler: (ctx: C, params: Record<string, string>) => Promise<ApiResult> | ApiResult;
};

export type CompiledRoute<C> = Route<C> & { regex: RegExp; names: string[] };

export function compileRoutes<C>(routes: Route<C>[]): CompiledRoute<C>[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.pattern.replace(/:([a-z_]+)/g, (_, name: string) => {
      names.push(name);
      // `ref` may hold slashes (a branch like feature/x); other segments never do.
      return name === "ref" ? "(.+)" : "([^/]+)";
    });
    return { ...route, regex: new RegExp(`^${source}$`), names };
  });
}

export function matchRoute<C>(
  routes: CompiledRoute<C>[],
  method: string,
  pathname: string,
): { route: CompiledRoute<C>; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.regex.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1]!)));
    return { route, params };
  }
  return null;
}

/** `per_page` (default 30, at most 100) and `page` (from 1), with a Link header like GitHub's. */
export function paginate<T>(items: T[], url: URL): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(url.searchParams.get("per_page")) || 30, 1), 100);
  const pageNumber = Math.max(Number(url.searchParams.get("page")) || 1, 1);
  const page = items.slice((pageNumber - 1) * perPage, pageNumber * perPage);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set("per_page", String(perPage));
    target.searchParams.set("page", String(n));
    return `<${target}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNumber < last) links.push(link(pageNumber + 1, "next"), link(last, "last"));
  if (pageNumber > 1) links.push(link(1, "first"), link(Math.min(pageNumber - 1, last), "prev"));
  return { page, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}
