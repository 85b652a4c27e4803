import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Git smart HTTP through git's own CGI program, so pushes and fetches over
 * http behave exactly as against a real server (pack negotiation, hooks,
 * protocol v2), and the fake only has to pass bytes along.
 */

export type GitHttpRequest = {
  /** The directory that holds `{owner}/{repo}.git`. */
  projectRoot: string;
  /** e.g. `/acme/widgets.git/info/refs` */
  pathInfo: string;
  query: string;
  remoteUser: string;
  /** Runs after git is done and before the response ends: the client cannot act on the push before it. */
  beforeEnd?: () => Promise<void>;
};

/** Resolves with the HTTP status once the response is complete. */
export function serveGitHttp(req: IncomingMessage, res: ServerResponse, request: GitHttpRequest): Promise<number> {
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" ? value : "";
  };
  const env = { ...process.env };
  // The caller's GIT_DIR and friends would point the backend at the wrong repository.
  for (const name of Object.keys(env)) if (name.startsWith("GIT_")) delete env[name];
  Object.assign(env, {
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.query,
    REQUEST_METHOD: req.method ?? "GET",
    CONTENT_TYPE: header("content-type"),
    REMOTE_USER: request.remoteUser,
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    // git gzips large request bodies and negotiates protocol v2 through these.
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    GIT_PROTOCOL: header("git-protocol"),
  });
  if (header("content-length")) env.CONTENT_LENGTH = header("content-length");

  return new Promise((resolve, reject) => {
    const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    req.pipe(child.stdin);
    // The client may hang up mid-request; the backend then sees EPIPE, which is not ours to report.
    child.stdin.on("error", () => {});

    let pending: Buffer = Buffer.alloc(0);
    let status = 200;
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      const split = findHeaderEnd(pending);
      if (!split) return;
      const cgi = parseCgiHeaders(pending.subarray(0, split.at).toString("latin1"));
      status = cgi.status;
      res.writeHead(cgi.status, cgi.headers);
      headersDone = true;
      res.write(pending.subarray(split.at + split.length));
    });
    child.on("close", (code) => {
      if (!headersDone) {
        status = 500;
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`git-http-backend exited with ${code}: ${stderr}`);
        resolve(status);
        return;
      }
      (request.beforeEnd ?? (async () => {}))()
        .then(() => {
          res.end();
          resolve(status);
        })
        .catch((error: unknown) => {
          res.destroy();
          reject(error);
        });
    });
  });
}

function findHeaderEnd(buffer: Buffer): { at: number; length: number } | null {
  const crlf = buffer.indexOf("\r\n\r\n");
  const lf = buffer.indexOf("\n\n");
  if (crlf === -1 && lf === -1) return null;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}

/** CGI response headers; `Status: 404 Not Found` becomes the HTTP status. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}
