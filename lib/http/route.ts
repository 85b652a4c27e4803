import "server-only";
import { z } from "zod";
import { AppError, httpStatus } from "../errors/app-error";

import { MAX_BODY_BYTES, tooLargeMessage } from "./body-limit";

/** Bodies above this are refused before parsing (413). Scopes are ≤ 200 KB. */
export { MAX_BODY_BYTES };

export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, { ...init, headers: { "cache-control": "no-store", ...init.headers } });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }, { status: httpStatus(error.code) });
  }
  console.error("[web] unhandled error in a route:", error);
  return json({ error: { code: "internal", message: "Something went wrong on the server; the log has the details." } }, { status: 500 });
}

/** Wraps a route handler so every failure becomes `{error: {code, message}}`. */
export function route<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * Reads a body as text, counting bytes on the stream and stopping at the cap
 * (a chunked body declares no length): never more than `cap` bytes are held.
 */
export async function readBodyText(request: Request, cap = MAX_BODY_BYTES): Promise<string> {
  if (Number(request.headers.get("content-length") ?? "0") > cap) throw new AppError("payload_too_large", tooLargeMessage(cap));
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > cap) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", tooLargeMessage(cap));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received).toString("utf8");
}

/** Reads a JSON body with a size cap and validates it. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const text = await readBodyText(request);
  let body: unknown;
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "The request body is not valid JSON.");
  }
  return parseWith(schema, body);
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new AppError("validation_failed", `${where}${issue?.message ?? "invalid input"}`, { issues: parsed.error.issues.slice(0, 10) });
  }
  return parsed.data;
}

export const uuidParam = z.uuid({ message: "must be an id (uuid)" });
