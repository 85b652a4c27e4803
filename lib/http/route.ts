import "server-only";
import { z } from "zod";
import { AppError, httpStatus } from "./app-error";

/** Bodies above this are refused before parsing (413). Scopes are ≤ 200 KB. */
export const MAX_BODY_BYTES = 256 * 1024;

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

/** Reads a JSON body with a size cap and validates it. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", `The request body is over ${MAX_BODY_BYTES / 1024} KB.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("payload_too_large", `The request body is over ${MAX_BODY_BYTES / 1024} KB.`);
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
