import type { components } from "@octokit/openapi-types";
import { addStatus, observeTips, resolveRefOrFail, upsertCheckRun } from "./checks";
import type { Core } from "./core";
import { type CreatedRepo, createRepo } from "./create-repo";
import { addIssueComment, addReview, addReviewComment } from "./discussion";
import { branchTips } from "./git";
import { openPullsAt, renderPullRequest } from "./pulls";
import { renderCheckRun, renderIssueComment, renderReview, renderReviewComment, renderStatus } from "./render";
import type { CheckRunInput, CommitStatusInput, CreateRepoInput, IssueCommentInput, ReviewCommentInput, ReviewInput } from "./schemas";
import { type SendWebhookOptions, sendWebhook, type WebhookDelivery } from "./send-webhook";
import type { AutoChecks, MergeRecord, PostedComment, PullRecord, RecordedRequest, RepoRecord } from "./state";
import { repoKey } from "./state";
import { buildWebhookPayload, type WebhookBuild, type WebhookPayload } from "./webhook-payloads";

type S = components["schemas"];

export type PullSummary = {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  headSha: string;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  mergeCommitSha: string | null;
};

export type RepoOptions = Omit<CreateRepoInput, "autoChecks"> & { autoChecks?: AutoChecks };

/**
 * What a test scripts: in-process through FakeGitHub (fake-github.ts, which
 * adds the HTTP server), or over HTTP through the `/_fake/...` control
 * routes, which see only this surface and so never import the server.
 */
export class FakeGitHubScripting {
  /** Epoch seconds until which API requests answer 403 (see rateLimit); the server enforces it. */
  protected rateLimitedUntil: number | null = null;

  constructor(readonly core: Core) {}

  /** e.g. http://127.0.0.1:41234 — Octokit's baseUrl (GITHUB_API_URL) and the git remote host alike. */
  get url(): string {
    return this.core.ctx.url;
  }

  get viewer(): string {
    return this.core.viewer;
  }

  // --- Repositories ---

  /** Returns `cloneUrl` = `{url}/{owner}/{name}.git`. */
  createRepo(owner: string, name: string, options: RepoOptions = {}): Promise<CreatedRepo> {
    return createRepo(this.core, owner, name, options);
  }

  /** Replaces the repository's auto checks (null: none); applies to tips first seen from now on. */
  setAutoChecks(owner: string, repo: string, checks: AutoChecks | null): void {
    this.scriptRepo(owner, repo).autoChecks = checks;
  }

  /** Branch name → sha, straight from the bare repository. */
  async branches(owner: string, repo: string): Promise<Record<string, string>> {
    return Object.fromEntries(await branchTips(this.scriptRepo(owner, repo).gitDir));
  }

  // --- CI ---

  /** Creates or updates (by name) a check run on the commit `ref` names (a sha or a branch). */
  async setCheckRun(owner: string, repo: string, ref: string, input: CheckRunInput): Promise<S["check-run"] & { id: number }> {
    const record = this.scriptRepo(owner, repo);
    await observeTips(this.core, record);
    const sha = await resolveRefOrFail(record, ref);
    const run = upsertCheckRun(this.core, record, sha, input);
    return { ...renderCheckRun(this.core.ctx, record, run, await openPullsAt(this.core, record, sha)), id: run.id };
  }

  async setStatus(owner: string, repo: string, ref: string, input: CommitStatusInput): Promise<S["simple-commit-status"]> {
    const record = this.scriptRepo(owner, repo);
    const sha = await resolveRefOrFail(record, ref);
    return renderStatus(this.core.ctx, record, addStatus(this.core, record, sha, input));
  }

  // --- People ---

  async addReview(owner: string, repo: string, number: number, input: ReviewInput): Promise<S["pull-request-review"] & { id: number }> {
    const { record, pull } = this.scriptPull(owner, repo, number);
    return renderReview(this.core.ctx, record, await addReview(this.core, record, pull, input));
  }

  async addReviewComment(owner: string, repo: string, number: number, input: ReviewCommentInput): Promise<S["pull-request-review-comment"] & { id: number }> {
    const { record, pull } = this.scriptPull(owner, repo, number);
    return renderReviewComment(this.core.ctx, record, await addReviewComment(this.core, record, pull, input));
  }

  addIssueComment(owner: string, repo: string, number: number, input: IssueCommentInput): S["issue-comment"] & { id: number } {
    const { record, pull } = this.scriptPull(owner, repo, number);
    return renderIssueComment(this.core.ctx, record, addIssueComment(this.core, record, pull, input));
  }

  // --- Pull request state, for assertions (not logged, no ETag) ---

  async pull(owner: string, repo: string, number: number): Promise<S["pull-request"]> {
    const { record, pull } = this.scriptPull(owner, repo, number);
    return renderPullRequest(this.core, record, pull);
  }

  pulls(): PullSummary[] {
    return this.core.store.pulls.map((pull) => {
      const record = [...this.core.store.repos.values()].find((repo) => repoKey(repo.owner, repo.name) === pull.repoKey)!;
      return {
        owner: record.owner,
        repo: record.name,
        number: pull.number,
        title: pull.title,
        body: pull.body,
        head: pull.headRef,
        base: pull.baseRef,
        headSha: pull.lastHeadSha,
        state: pull.state,
        draft: pull.draft,
        merged: pull.merged,
        mergeCommitSha: pull.mergeCommitSha,
      };
    });
  }

  // --- Rate limiting ---

  /** API requests answer 403 "API rate limit exceeded" until `until` (a Date or epoch seconds) has passed. */
  rateLimit(until: Date | number): number {
    this.rateLimitedUntil = typeof until === "number" ? Math.floor(until) : Math.ceil(until.getTime() / 1000);
    return this.rateLimitedUntil;
  }

  clearRateLimit(): void {
    this.rateLimitedUntil = null;
  }

  // --- Records ---

  /** Every API and git request, oldest first (control routes are not recorded). */
  get requests(): readonly RecordedRequest[] {
    return this.core.store.requests;
  }

  /** API requests no route matched: Foreman called something the fake does not implement. */
  unexpectedRequests(): RecordedRequest[] {
    return this.core.store.requests.filter((request) => request.kind === "api" && request.route === null);
  }

  clearRequests(): void {
    this.core.store.requests.length = 0;
  }

  get merges(): readonly MergeRecord[] {
    return this.core.store.merges;
  }

  /** Replies and issue comments posted through the API, oldest first. */
  get posted(): readonly PostedComment[] {
    return this.core.store.posted;
  }

  // --- Webhooks ---

  webhookPayload(spec: WebhookBuild): Promise<WebhookPayload> {
    return buildWebhookPayload(this.core, spec);
  }

  sendWebhook(targetUrl: string, event: string, payload: unknown, options: SendWebhookOptions): Promise<WebhookDelivery> {
    return sendWebhook(targetUrl, event, payload, options);
  }

  private scriptRepo(owner: string, repo: string): RepoRecord {
    const record = this.core.store.repos.get(repoKey(owner, repo));
    if (!record) throw new Error(`fake-github: no repository ${owner}/${repo}`);
    return record;
  }

  private scriptPull(owner: string, repo: string, number: number): { record: RepoRecord; pull: PullRecord } {
    const record = this.scriptRepo(owner, repo);
    const pull = this.core.store.pull(repoKey(owner, repo), number);
    if (!pull) throw new Error(`fake-github: no pull request ${owner}/${repo}#${number}`);
    return { record, pull };
  }
}
