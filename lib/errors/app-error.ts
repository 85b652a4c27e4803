import { assertNever } from "../shared/assert-never";

/**
 * The error codes of the HTTP API (DESIGN.md §8): `{error: {code, message}}`.
 * Messages say what to do next.
 */
export const ERROR_CODES = [
  "validation_failed",
  "unauthenticated",
  "forbidden",
  "not_found",
  "state_conflict",
  "payload_too_large",
  "rate_limited",
  "unavailable",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case "validation_failed":
      return 400;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "state_conflict":
      return 409;
    case "payload_too_large":
      return 413;
    case "rate_limited":
      return 429;
    case "unavailable":
      return 503;
    case "internal":
      return 500;
    default:
      return assertNever(code, "error code");
  }
}
