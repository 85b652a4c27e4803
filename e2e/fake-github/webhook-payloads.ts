import type { components } from "@octokit/openapi-types";
import { z } from "zod";
import { checkRunsOn, resolveRefOrFail } from "./checks";
import type { Core } from "./core";
import { reviewComment } from "./discussion";
import { branchTips } from "./git";
import { ApiError } from "./http";
import { openPullsAt, renderPullRequest } from "./pulls";
import { renderCheckRun, renderRepository, renderUser } from "./render";
import { type RepoRecord, repoKey } from "./state";

/**
 * Webhook payloads built from the fake's current state. pull_request and
 * check_run payloads satisfy the full webhook schemas (they are made of shared
 * components); the others hold the webhook schema's envelope (action,
 * repository, sender) plus a typed Pick of the nested object with the fields a
 * receiver reads, because those schemas spell every nested object out inline.
 */

type S = components["schemas"];

const target = {
  owner: z.string().min(1),
  repo: z.string().min(1),
  /** Who GitHub says acted; by default the author of the object, or the CI app for checks and statuses. */
  sender: z.string().min(1).optional(),
};

const CI_SENDER = "github-actions[bot]";

export const webhookBuildSchema = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("pull_request"),
    ...target,
    number: z.number().int(),
    action: z.enum(["opened", "edited", "closed", "reopened", "synchronize", "ready_for_review", "converted_to_draft"]).default("opened"),
    /** For "synchronize": the head sha before the push. */
    before: z.string().optional(),
  }),
  z.object({
    event: z.literal("check_run"),
    ...target,
    checkRunId: z.number().int(),
    action: z.enum(["created", "completed", "rerequested"]).default("completed"),
  }),
  z.object({ event: z.literal("check_suite"), ...target, ref: z.string().min(1), action: z.enum(["completed", "requested", "rerequested"]).default("completed") }),
  z.object({ event: z.literal("status"), ...target, statusId: z.number().int() }),
  z.object({
    event: z.literal("pull_request_review"),
    ...target,
    number: z.number().int(),
    reviewId: z.number().int(),
    action: z.enum(["submitted", "edited", "dismissed"]).default("submitted"),
  }),
  z.object({
    event: z.literal("pull_request_review_comment"),
    ...target,
    number: z.number().int(),
    commentId: z.number().int(),
    action: z.enum(["created", "edited", "deleted"]).default("created"),
  }),
  z.object({
    event: z.literal("issue_comment"),
    ...target,
    number: z.number().int(),
    commentId: z.number().int(),
    action: z.enum(["created", "edited", "deleted"]).default("created"),
  }),
]);
export type WebhookBuild = z.input<typeof webhookBuildSchema>;
export type WebhookEvent = WebhookBuild["event"];

export type PullRequestPayload = Omit<S["webhook-pull-request-opened"], "action"> & {
  action: Extract<WebhookBuild, { event: "pull_request" }>["action"] & string;
  before?: string;
  after?: string;
};
export type CheckRunPayload = Omit<S["webhook-check-run-completed"], "action"> & { action: "created" | "completed" | "rerequested" };

type SuiteHook = S["webhook-check-suite-completed"];
export type CheckSuitePayload = Pick<SuiteHook, "repository" | "sender"> & {
  action: "completed" | "requested" | "rerequested";
  check_suite: Pick<
    SuiteHook["check_suite"],
    "id" | "node_id" | "head_branch" | "head_sha" | "status" | "conclusion" | "url" | "before" | "after" | "check_runs_url" | "created_at" | "updated_at" | "latest_check_runs_count" | "pull_requests"
  >;
};

type StatusHook = S["webhook-status"];
export type StatusPayload = Pick<
  StatusHook,
  "id" | "sha" | "name" | "context" | "state" | "description" | "target_url" | "created_at" | "updated_at" | "branches" | "repository" | "sender"
> & { commit: Pick<StatusHook["commit"], "sha" | "url" | "html_url" | "node_id"> };

type ReviewHook = S["webhook-pull-request-review-submitted"];
type HookPull = Pick<ReviewHook["pull_request"], "id" | "number" | "node_id" | "url" | "html_url" | "title" | "state" | "draft"> & {
  head: Pick<ReviewHook["pull_request"]["head"], "ref" | "sha" | "label">;
  base: Pick<ReviewHook["pull_request"]["base"], "ref" | "sha" | "label">;
};
export type PullRequestReviewPayload = Pick<ReviewHook, "review" | "repository" | "sender"> & {
  action: "submitted" | "edited" | "dismissed";
  pull_request: HookPull;
};

type ReviewCommentHook = S["webhook-pull-request-review-comment-created"];
export type PullRequestReviewCommentPayload = Pick<ReviewCommentHook, "repository" | "sender"> & {
  action: "created" | "edited" | "deleted";
  comment: Pick<
    ReviewCommentHook["comment"],
    | "id"
    | "node_id"
    | "url"
    | "html_url"
    | "body"
    | "path"
    | "line"
    | "side"
    | "commit_id"
    | "original_commit_id"
    | "diff_hunk"
    | "in_reply_to_id"
    | "pull_request_review_id"
    | "pull_request_url"
    | "created_at"
    | "updated_at"
    | "user"
  >;
  pull_request: HookPull;
};

type IssueCommentHook = S["webhook-issue-comment-created"];
export type IssueCommentPayload = Pick<IssueCommentHook, "repository" | "sender"> & {
  action: "created" | "edited" | "deleted";
  issue: Pick<IssueCommentHook["issue"], "id" | "node_id" | "number" | "title" | "state" | "url" | "html_url" | "pull_request">;
  comment: Pick<IssueCommentHook["comment"], "id" | "node_id" | "url" | "html_url" | "body" | "issue_url" | "created_at" | "updated_at" | "user" | "author_association">;
};

export type WebhookPayload =
  | PullRequestPayload
  | CheckRunPayload
  | CheckSuitePayload
  | StatusPayload
  | PullRequestReviewPayload
  | PullRequestReviewCommentPayload
  | IssueCommentPayload;

/** The payload GitHub would deliver for `spec.event` about the fake's current state. */
export async function buildWebhookPayload(core: Core, spec: WebhookBuild): Promise<WebhookPayload> {
  const parsed = webhookBuildSchema.parse(spec);
  const repo = core.repo(parsed.owner, parsed.repo);
  const repository = webhookRepository(core, repo);
  const sender = (actor: string) => renderUser(core.ctx, parsed.sender ?? actor);
  switch (parsed.event) {
    case "pull_request": {
      const pull = core.pull(repo, parsed.number);
      const rendered = await renderPullRequest(core, repo, pull);
      const payload: PullRequestPayload = { action: parsed.action, number: pull.number, pull_request: rendered, repository, sender: sender(pull.author) };
      if (parsed.action === "synchronize") {
        // The tip the branch had before the latest push the fake saw.
        const previous = repo.seenTips.get(pull.headRef)?.at(-2);
        Object.assign(payload, { before: parsed.before ?? previous ?? rendered.base.sha, after: rendered.head.sha });
      }
      return payload;
    }
    case "check_run": {
      const run = core.store.checkRuns.find((candidate) => candidate.id === parsed.checkRunId && candidate.repoKey === repoKey(repo.owner, repo.name));
      if (!run) throw new ApiError(404, `fake-github: no check run ${parsed.checkRunId}`);
      const payload: CheckRunPayload = {
        action: parsed.action,
        check_run: renderCheckRun(core.ctx, repo, run, await openPullsAt(core, repo, run.headSha)),
        repository,
        sender: sender(CI_SENDER),
      };
      return payload;
    }
    case "check_suite": {
      const sha = await resolveRefOrFail(repo, parsed.ref);
      const runs = checkRunsOn(core, repo, sha);
      const done = runs.length > 0 && runs.every((run) => run.status === "completed");
      const failed = runs.find((run) => run.conclusion !== null && !["success", "neutral", "skipped"].includes(run.conclusion));
      const suiteId = core.store.suiteId(repoKey(repo.owner, repo.name), sha);
      const api = `${core.ctx.url}/repos/${repo.owner}/${repo.name}`;
      const branch = [...(await branchTips(repo.gitDir))].find(([, tip]) => tip === sha)?.[0] ?? null;
      const payload: CheckSuitePayload = {
        action: parsed.action,
        check_suite: {
          id: suiteId,
          node_id: Buffer.from(`0:CheckSuite${suiteId}`).toString("base64"),
          head_branch: branch,
          head_sha: sha,
          status: done ? "completed" : runs.some((run) => run.status === "in_progress") ? "in_progress" : "queued",
          conclusion: done ? (failed?.conclusion ?? "success") : null,
          url: `${api}/check-suites/${suiteId}`,
          check_runs_url: `${api}/check-suites/${suiteId}/check-runs`,
          before: null,
          after: sha,
          created_at: runs[0]?.startedAt ?? repo.createdAt,
          updated_at: runs.at(-1)?.completedAt ?? runs.at(-1)?.startedAt ?? repo.createdAt,
          latest_check_runs_count: runs.length,
          pull_requests: await openPullsAt(core, repo, sha),
        },
        repository,
        sender: sender(CI_SENDER),
      };
      return payload;
    }
    case "status": {
      const status = core.store.statuses.find((candidate) => candidate.id === parsed.statusId && candidate.repoKey === repoKey(repo.owner, repo.name));
      if (!status) throw new ApiError(404, `fake-github: no status ${parsed.statusId}`);
      const api = `${core.ctx.url}/repos/${repo.owner}/${repo.name}`;
      const tips = [...(await branchTips(repo.gitDir))].filter(([, tip]) => tip === status.sha);
      const payload: StatusPayload = {
        id: status.id,
        sha: status.sha,
        name: `${repo.owner}/${repo.name}`,
        context: status.context,
        state: status.state,
        description: status.description,
        target_url: status.targetUrl,
        created_at: status.createdAt,
        updated_at: status.updatedAt,
        branches: tips.map(([name, sha]) => ({ name, commit: { sha, url: `${api}/commits/${sha}` }, protected: false })),
        commit: {
          sha: status.sha,
          node_id: Buffer.from(`0:Commit${status.sha}`).toString("base64"),
          url: `${api}/commits/${status.sha}`,
          html_url: `${core.ctx.url}/${repo.owner}/${repo.name}/commit/${status.sha}`,
        },
        repository,
        sender: sender(CI_SENDER),
      };
      return payload;
    }
    case "pull_request_review": {
      const pull = core.pull(repo, parsed.number);
      const review = core.store.reviews.find((candidate) => candidate.id === parsed.reviewId && candidate.number === pull.number);
      if (!review) throw new ApiError(404, `fake-github: no review ${parsed.reviewId}`);
      const html = `${core.ctx.url}/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${review.id}`;
      const pullUrl = `${core.ctx.url}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`;
      const payload: PullRequestReviewPayload = {
        action: parsed.action,
        review: {
          id: review.id,
          node_id: Buffer.from(`0:PullRequestReview${review.id}`).toString("base64"),
          user: renderUser(core.ctx, review.author),
          body: review.body,
          state: review.state.toLowerCase(),
          commit_id: review.commitId,
          submitted_at: review.submittedAt,
          html_url: html,
          pull_request_url: pullUrl,
          author_association: review.author === repo.owner ? "OWNER" : "COLLABORATOR",
          _links: { html: { href: html }, pull_request: { href: pullUrl } },
        },
        pull_request: await hookPull(core, repo, parsed.number),
        repository,
        sender: sender(review.author),
      };
      return payload;
    }
    case "pull_request_review_comment": {
      const comment = reviewComment(core, repo, parsed.commentId);
      if (!comment || comment.number !== parsed.number) throw new ApiError(404, `fake-github: no review comment ${parsed.commentId}`);
      const api = `${core.ctx.url}/repos/${repo.owner}/${repo.name}`;
      const payload: PullRequestReviewCommentPayload = {
        action: parsed.action,
        comment: {
          id: comment.id,
          node_id: Buffer.from(`0:PullRequestReviewComment${comment.id}`).toString("base64"),
          url: `${api}/pulls/comments/${comment.id}`,
          html_url: `${core.ctx.url}/${repo.owner}/${repo.name}/pull/${comment.number}#discussion_r${comment.id}`,
          body: comment.body,
          path: comment.path,
          line: comment.line,
          side: comment.side,
          commit_id: comment.commitId,
          original_commit_id: comment.commitId,
          diff_hunk: `@@ -${comment.line},1 +${comment.line},1 @@`,
          in_reply_to_id: comment.inReplyTo ?? undefined,
          pull_request_review_id: comment.reviewId ?? 0,
          pull_request_url: `${api}/pulls/${comment.number}`,
          created_at: comment.createdAt,
          updated_at: comment.updatedAt,
          user: renderUser(core.ctx, comment.author),
        },
        pull_request: await hookPull(core, repo, parsed.number),
        repository,
        sender: sender(comment.author),
      };
      return payload;
    }
    case "issue_comment": {
      const pull = core.pull(repo, parsed.number);
      const comment = core.store.issueComments.find((candidate) => candidate.id === parsed.commentId && candidate.number === pull.number && candidate.repoKey === pull.repoKey);
      if (!comment) throw new ApiError(404, `fake-github: no issue comment ${parsed.commentId}`);
      const api = `${core.ctx.url}/repos/${repo.owner}/${repo.name}`;
      const html = `${core.ctx.url}/${repo.owner}/${repo.name}/pull/${pull.number}`;
      const payload: IssueCommentPayload = {
        action: parsed.action,
        // Comments on pull requests arrive as issue comments; `issue.pull_request` is how a receiver tells.
        issue: {
          id: pull.id,
          node_id: Buffer.from(`0:PullRequest${pull.id}`).toString("base64"),
          number: pull.number,
          title: pull.title,
          state: pull.state,
          url: `${api}/issues/${pull.number}`,
          html_url: html,
          pull_request: { url: `${api}/pulls/${pull.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: pull.mergedAt },
        },
        comment: {
          id: comment.id,
          node_id: Buffer.from(`0:IssueComment${comment.id}`).toString("base64"),
          url: `${api}/issues/comments/${comment.id}`,
          html_url: `${html}#issuecomment-${comment.id}`,
          body: comment.body,
          issue_url: `${api}/issues/${pull.number}`,
          created_at: comment.createdAt,
          updated_at: comment.updatedAt,
          user: renderUser(core.ctx, comment.author),
          author_association: comment.author === repo.owner ? "OWNER" : "COLLABORATOR",
        },
        repository,
        sender: sender(comment.author),
      };
      return payload;
    }
  }
}

function webhookRepository(core: Core, repo: RepoRecord): S["repository-webhooks"] {
  return { ...renderRepository(core.ctx, repo), custom_properties: {} };
}

async function hookPull(core: Core, repo: RepoRecord, number: number): Promise<HookPull> {
  const rendered = await renderPullRequest(core, repo, core.pull(repo, number));
  return {
    id: Number(rendered.id),
    number: rendered.number,
    node_id: rendered.node_id,
    url: rendered.url,
    html_url: rendered.html_url,
    title: rendered.title,
    state: rendered.state,
    draft: rendered.draft ?? false,
    head: { ref: rendered.head.ref, sha: rendered.head.sha, label: rendered.head.label },
    base: { ref: rendered.base.ref, sha: rendered.base.sha, label: rendered.base.label },
  };
}
