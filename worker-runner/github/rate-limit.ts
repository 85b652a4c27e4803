import { RequestError } from "@octokit/request-error";

/**
 * When GitHub says "rate limited" (403 or 429 with `x-ratelimit-remaining: 0`,
 * or a secondary limit with `retry-after`), the time to resume; else null.
 */
export function rateLimitedUntil(error: unknown, now = Date.now()): Date | null {
  if (!(error instanceof RequestError) || (error.status !== 403 && error.status !== 429)) return null;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return new Date(now + retryAfter * 1000);
  if (headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    // GitHub's reset is in epoch seconds; without one, a minute is GitHub's advice for secondary limits.
    return new Date(Number.isFinite(reset) && reset > 0 ? Math.max(reset * 1000, now + 1000) : now + 60_000);
  }
  if (error.status === 429) return new Date(now + 60_000);
  return null;
}

export class RateLimited extends Error {
  override name = "RateLimited";
  constructor(readonly until: Date) {
    super(`GitHub rate limit: paused until ${until.toISOString()}`);
  }
}
