import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requireAccessOf } from "../auth/access";
import { errorResponse, parseWith, uuidParam } from "../http/route";
import { sharedSnapshot } from "../runs/shared-snapshot";
import { getDb } from "./context";
import { requestHeaders } from "./request-headers";

const SNAPSHOT_PATH = /^\/api\/runs\/([^/?#]+)(?:\?.*)?$/;

/**
 * GET /api/runs/:id (DESIGN.md §8), answered by the web server before Next's
 * router: every open board and script polls it, and on a small machine
 * Next's routing and its copies of a 260 KB body cost more than the answer
 * itself. The same checks as every route (Host, who, role, share link's
 * run), then the run's shared read (lib/runs/shared-snapshot.ts), sent as
 * its kept bytes. The route file app/api/runs/[id]/route.ts answers the
 * rest (HEAD, and a GET that sends a body). Returns false, touching
 * nothing, for any other request.
 */
export function serveRunSnapshot(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "GET") return false;
  // A GET that sends a body goes the common way, through the body cap (lib/server/limit-body.ts).
  if (req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] ?? "0") !== "0") return false;
  const match = SNAPSHOT_PATH.exec(req.url ?? "");
  if (!match) return false;
  void answer(req, res, match[1]!);
  return true;
}

async function answer(req: IncomingMessage, res: ServerResponse, rawId: string) {
  try {
    const runId = parseWith(uuidParam, decoded(rawId));
    await requireAccessOf(requestHeaders(req), { role: "viewer", mutation: false, shareRunId: runId });
    const { bytes } = await sharedSnapshot(getDb(), runId);
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": bytes.length }).end(bytes);
  } catch (error) {
    // The same `{error: {code, message}}` answer as every route (lib/http/route.ts).
    const response = errorResponse(error);
    const body = Buffer.from(await response.arrayBuffer());
    if (!res.headersSent) res.writeHead(response.status, { ...Object.fromEntries(response.headers), "content-length": body.length });
    res.end(body);
  }
}

/** As Next decodes a route's params; a malformed escape stays as it is (and is no id). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
