/**
 * Request body caps (DESIGN.md §9: counted on the stream). The web server
 * applies them to every request before any route sees it (lib/server/limit-body.ts);
 * routes count again when they read, in case they are ever served another way.
 */
export const MAX_BODY_BYTES = 256 * 1024;
/** GitHub's own limit for webhook payloads is 25 MB, but ours carry PR and check events only. */
export const WEBHOOK_MAX_BYTES = 2 * 1024 * 1024;

export function bodyLimitFor(pathname: string): number {
  return pathname === "/api/github/webhook" ? WEBHOOK_MAX_BYTES : MAX_BODY_BYTES;
}

export const tooLargeMessage = (cap: number) => `The request body is over ${cap >= 1024 * 1024 ? `${cap / (1024 * 1024)} MB` : `${cap / 1024} KB`}.`;
