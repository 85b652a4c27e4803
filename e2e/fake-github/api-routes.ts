import { checkRunsOn, latestStatuses, observeTips, resolveRefOrFail } from "./checks";
import type { Core } from "./core";
import { postIssueComment, replyToReviewComment } from "./discussion";
import { ApiError, type ApiResult, compileRoutes, paginate, parseJson, type Route } from "./http";
import { createPull, mergePull, openPullsAt, renderPullRequest, updatePull } from "./pulls";
import {
  renderCheckRun,
  renderCombinedStatus,
  renderFullRepository,
  renderIssueComment,
  renderReview,
  renderReviewComment,
} from "./render";
import { commentBodySchema, createPullBodySchema, mergePullBodySchema, updatePullBodySchema } from "./schemas";
import { type RepoRecord, repoKey } from "./state";

/**
 * The GitHub REST endpoints Foreman calls, and no others: anything else is a
 * 404 that the request log marks as unmatched, so a test can catch Foreman
 * calling an endpoint the fake (and this list) does not know.
 */

export type ApiContext = { core: Core; url: URL; raw: string };

const ok = (body: unknown, headers?: Record<string, string>): ApiResult => ({ status: 200, body, headers });

const forRepo = (ctx: ApiContext, params: Record<string, string>) => ctx.core.repo(params.owner!, params.repo!);

const byNumber = (ctx: ApiContext, params: Record<string, string>) => {
  const repo = forRepo(ctx, params);
  return { repo, pull: ctx.core.pull(repo, params.number!) };
};

function listFor<T extends { repoKey: string; number: number }>(items: T[], repo: RepoRecord, number: number): T[] {
  const key = repoKey(repo.owner, repo.name);
  return items.filter((item) => item.repoKey === key && item.number === number);
}

const routes: Route<ApiContext>[] = [
  {
    method: "GET",
    pattern: "/repos/:owner/:repo",
    handler: (ctx, params) => {
      const repo = forRepo(ctx, params);
      const open = ctx.core.store.pulls.filter((pull) => pull.repoKey === repoKey(repo.owner, repo.name) && pull.state === "open").length;
      return ok(renderFullRepository(ctx.core.ctx, repo, open));
    },
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/pulls",
    handler: async (ctx, params) => {
      const repo = forRepo(ctx, params);
      const pull = await createPull(ctx.core, repo, parseJson(ctx.raw, createPullBodySchema));
      const body = await renderPullRequest(ctx.core, repo, pull);
      return { status: 201, body, headers: { location: body.url } };
    },
  },
  {
    // Foreman lists its branch's open PR to adopt one that exists already (a 422 on create).
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls",
    handler: async (ctx, params) => {
      const repo = forRepo(ctx, params);
      const head = ctx.url.searchParams.get("head");
      const state = ctx.url.searchParams.get("state") ?? "open";
      const headRef = head?.includes(":") ? head.split(":")[1] : head;
      const pulls = ctx.core.store.pulls.filter(
        (pull) => pull.repoKey === repoKey(repo.owner, repo.name) && (state === "all" || pull.state === state) && (!headRef || pull.headRef === headRef),
      );
      return ok(await Promise.all(pulls.map((pull) => renderPullRequest(ctx.core, repo, pull))));
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:number",
    handler: async (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      await observeTips(ctx.core, repo);
      return ok(await renderPullRequest(ctx.core, repo, pull));
    },
  },
  {
    method: "PATCH",
    pattern: "/repos/:owner/:repo/pulls/:number",
    handler: async (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      updatePull(ctx.core, repo, pull, parseJson(ctx.raw, updatePullBodySchema));
      return ok(await renderPullRequest(ctx.core, repo, pull));
    },
  },
  {
    method: "PUT",
    pattern: "/repos/:owner/:repo/pulls/:number/merge",
    handler: async (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      return ok(await mergePull(ctx.core, repo, pull, parseJson(ctx.raw, mergePullBodySchema)));
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/commits/:ref/check-runs",
    handler: async (ctx, params) => {
      const repo = forRepo(ctx, params);
      await observeTips(ctx.core, repo);
      const sha = await resolveRefOrFail(repo, params.ref!);
      const name = ctx.url.searchParams.get("check_name");
      const status = ctx.url.searchParams.get("status");
      const runs = checkRunsOn(ctx.core, repo, sha)
        .filter((run) => (name === null || run.name === name) && (status === null || run.status === status))
        .sort((a, b) => b.id - a.id);
      const pulls = await openPullsAt(ctx.core, repo, sha);
      const { page, headers } = paginate(runs, ctx.url);
      return ok({ total_count: runs.length, check_runs: page.map((run) => renderCheckRun(ctx.core.ctx, repo, run, pulls)) }, headers);
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/commits/:ref/status",
    handler: async (ctx, params) => {
      const repo = forRepo(ctx, params);
      await observeTips(ctx.core, repo);
      const sha = await resolveRefOrFail(repo, params.ref!);
      return ok(renderCombinedStatus(ctx.core.ctx, repo, sha, latestStatuses(ctx.core, repo, sha)));
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/check-runs/:id",
    handler: async (ctx, params) => {
      const repo = forRepo(ctx, params);
      const key = repoKey(repo.owner, repo.name);
      const run = ctx.core.store.checkRuns.find((candidate) => candidate.id === Number(params.id) && candidate.repoKey === key);
      if (!run) throw new ApiError(404, "Not Found");
      return ok(renderCheckRun(ctx.core.ctx, repo, run, await openPullsAt(ctx.core, repo, run.headSha)));
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:number/reviews",
    handler: (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      const { page, headers } = paginate(listFor(ctx.core.store.reviews, repo, pull.number), ctx.url);
      return ok(
        page.map((review) => renderReview(ctx.core.ctx, repo, review)),
        headers,
      );
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/pulls/:number/comments",
    handler: (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      const { page, headers } = paginate(listFor(ctx.core.store.reviewComments, repo, pull.number), ctx.url);
      return ok(
        page.map((comment) => renderReviewComment(ctx.core.ctx, repo, comment)),
        headers,
      );
    },
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/pulls/:number/comments/:comment_id/replies",
    handler: async (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      const { body } = parseJson(ctx.raw, commentBodySchema);
      const reply = await replyToReviewComment(ctx.core, repo, pull, Number(params.comment_id), body);
      return { status: 201, body: renderReviewComment(ctx.core.ctx, repo, reply) };
    },
  },
  {
    method: "GET",
    pattern: "/repos/:owner/:repo/issues/:number/comments",
    handler: (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      const { page, headers } = paginate(listFor(ctx.core.store.issueComments, repo, pull.number), ctx.url);
      return ok(
        page.map((comment) => renderIssueComment(ctx.core.ctx, repo, comment)),
        headers,
      );
    },
  },
  {
    method: "POST",
    pattern: "/repos/:owner/:repo/issues/:number/comments",
    handler: (ctx, params) => {
      const { repo, pull } = byNumber(ctx, params);
      const { body } = parseJson(ctx.raw, commentBodySchema);
      return { status: 201, body: renderIssueComment(ctx.core.ctx, repo, postIssueComment(ctx.core, repo, pull, body)) };
    },
  },
];

export const API_ROUTES = compileRoutes(routes);
