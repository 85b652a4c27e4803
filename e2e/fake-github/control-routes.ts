import { z } from "zod";
import type { FakeGitHubScripting } from "./scripting";
import { type ApiResult, compileRoutes, parseJson, type Route } from "./http";
import { autoCheckSchema, checkRunInputSchema, commitStatusInputSchema, createRepoInputSchema, issueCommentInputSchema, reviewCommentInputSchema, reviewInputSchema } from "./schemas";
import { sendWebhookOptionsSchema } from "./send-webhook";
import { webhookBuildSchema } from "./webhook-payloads";

/**
 * The scripting API over HTTP (`/_fake/...`, JSON, no auth, not recorded),
 * for Playwright specs where the fake runs as its own process. Each route is
 * one FakeGitHubScripting method; the bodies are that method's arguments.
 */

export type ControlContext = { fake: FakeGitHubScripting; url: URL; raw: string };

const ok = (body: unknown, status = 200): ApiResult => ({ status, body });
const withRef = { ref: z.string().min(1) };

const createRepoBody = z.object({ owner: z.string().min(1), name: z.string().min(1) }).and(createRepoInputSchema);
const rateLimitBody = z.union([z.object({ until: z.number().int() }), z.object({ seconds: z.number().positive() })]);
const sendWebhookBody = z
  .object({
    targetUrl: z.url(),
    event: z.string().min(1).optional(),
    payload: z.unknown().optional(),
    build: webhookBuildSchema.optional(),
  })
  .and(sendWebhookOptionsSchema)
  .refine((value) => (value.payload === undefined) !== (value.build === undefined), "give payload (with event) or build")
  .refine((value) => value.build !== undefined || value.event !== undefined, "a raw payload needs its event");

const routes: Route<ControlContext>[] = [
  { method: "GET", pattern: "/_fake/health", handler: (ctx) => ok({ ok: true, url: ctx.fake.url }) },
  {
    method: "POST",
    pattern: "/_fake/repos",
    handler: async (ctx) => {
      const { owner, name, ...options } = parseJson(ctx.raw, createRepoBody);
      return ok(await ctx.fake.createRepo(owner, name, options), 201);
    },
  },
  {
    method: "GET",
    pattern: "/_fake/repos/:owner/:repo/branches",
    handler: async (ctx, params) => ok(await ctx.fake.branches(params.owner!, params.repo!)),
  },
  {
    method: "PUT",
    pattern: "/_fake/repos/:owner/:repo/auto-checks",
    handler: (ctx, params) => {
      const { checks } = parseJson(ctx.raw, z.object({ checks: z.array(autoCheckSchema).nullable() }));
      ctx.fake.setAutoChecks(params.owner!, params.repo!, checks);
      return ok({ ok: true });
    },
  },
  {
    method: "POST",
    pattern: "/_fake/repos/:owner/:repo/check-runs",
    handler: async (ctx, params) => {
      const { ref, ...input } = parseJson(ctx.raw, checkRunInputSchema.extend(withRef));
      return ok(await ctx.fake.setCheckRun(params.owner!, params.repo!, ref, input), 201);
    },
  },
  {
    method: "POST",
    pattern: "/_fake/repos/:owner/:repo/statuses",
    handler: async (ctx, params) => {
      const { ref, ...input } = parseJson(ctx.raw, commitStatusInputSchema.extend(withRef));
      return ok(await ctx.fake.setStatus(params.owner!, params.repo!, ref, input), 201);
    },
  },
  {
    method: "GET",
    pattern: "/_fake/repos/:owner/:repo/pulls/:number",
    handler: async (ctx, params) => ok(await ctx.fake.pull(params.owner!, params.repo!, Number(params.number))),
  },
  {
    method: "POST",
    pattern: "/_fake/repos/:owner/:repo/pulls/:number/reviews",
    handler: async (ctx, params) => ok(await ctx.fake.addReview(params.owner!, params.repo!, Number(params.number), parseJson(ctx.raw, reviewInputSchema)), 201),
  },
  {
    method: "POST",
    pattern: "/_fake/repos/:owner/:repo/pulls/:number/review-comments",
    handler: async (ctx, params) =>
      ok(await ctx.fake.addReviewComment(params.owner!, params.repo!, Number(params.number), parseJson(ctx.raw, reviewCommentInputSchema)), 201),
  },
  {
    method: "POST",
    pattern: "/_fake/repos/:owner/:repo/issues/:number/comments",
    handler: (ctx, params) => ok(ctx.fake.addIssueComment(params.owner!, params.repo!, Number(params.number), parseJson(ctx.raw, issueCommentInputSchema)), 201),
  },
  { method: "GET", pattern: "/_fake/pulls", handler: (ctx) => ok(ctx.fake.pulls()) },
  {
    method: "POST",
    pattern: "/_fake/rate-limit",
    handler: (ctx) => {
      const body = parseJson(ctx.raw, rateLimitBody);
      const until = "until" in body ? body.until : Math.ceil(Date.now() / 1000 + body.seconds);
      return ok({ until: ctx.fake.rateLimit(until) });
    },
  },
  {
    method: "DELETE",
    pattern: "/_fake/rate-limit",
    handler: (ctx) => {
      ctx.fake.clearRateLimit();
      return ok({ ok: true });
    },
  },
  {
    method: "GET",
    pattern: "/_fake/requests",
    handler: (ctx) => {
      const kind = ctx.url.searchParams.get("kind");
      const requests = ctx.url.searchParams.get("unexpected") ? ctx.fake.unexpectedRequests() : ctx.fake.requests;
      return ok(requests.filter((request) => kind === null || request.kind === kind));
    },
  },
  {
    method: "DELETE",
    pattern: "/_fake/requests",
    handler: (ctx) => {
      ctx.fake.clearRequests();
      return ok({ ok: true });
    },
  },
  { method: "GET", pattern: "/_fake/merges", handler: (ctx) => ok(ctx.fake.merges) },
  { method: "GET", pattern: "/_fake/posted", handler: (ctx) => ok(ctx.fake.posted) },
  {
    method: "POST",
    pattern: "/_fake/webhooks/payload",
    handler: async (ctx) => ok(await ctx.fake.webhookPayload(parseJson(ctx.raw, webhookBuildSchema))),
  },
  {
    method: "POST",
    pattern: "/_fake/webhooks/send",
    handler: async (ctx) => {
      const { targetUrl, event, payload, build, ...options } = parseJson(ctx.raw, sendWebhookBody);
      const body = build ? await ctx.fake.webhookPayload(build) : payload;
      return ok(await ctx.fake.sendWebhook(targetUrl, build?.event ?? event!, body, options));
    },
  },
];

export const CONTROL_ROUTES = compileRoutes(routes);
