import { createHash } from "node:crypto";
import type { components } from "@octokit/openapi-types";
import type {
  CheckRunRecord,
  IssueCommentRecord,
  PullRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  StatusRecord,
} from "./state";

/**
 * Records to GitHub's JSON, typed by @octokit/openapi-types so a field GitHub
 * requires cannot be left out. Required fields the fake has no state for get
 * plausible constants; everything Foreman reads is derived from the state.
 * The API serves the HTML pages' URLs too, so `url` is both bases.
 */

type S = components["schemas"];

export type RenderContext = { url: string };

/** A user that also fits the webhook schemas, which narrow `type`. */
export type User = Omit<S["simple-user"], "name" | "type" | "id" | "gravatar_id"> & { name?: string; type: "User" | "Bot"; id: number; gravatar_id: string };
export type Repository = S["repository"] & { id: number };
export type CheckRun = S["check-run"] & S["check-run-with-simple-check-suite"];
/** Fits pull-request-minimal and the webhook schemas' inline copies, which want plain number ids. */
export type MinimalPull = S["pull-request-minimal"] & { id: number; head: { repo: { id: number } }; base: { repo: { id: number } } };

/** What a pull request's JSON needs that only git (or counting) can tell. */
export type PullFacts = {
  headSha: string;
  baseSha: string;
  mergeable: boolean | null;
  mergeableState: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  comments: number;
  reviewComments: number;
};

const EPOCH = "2024-01-01T00:00:00Z";

const nodeId = (kind: string, id: number) => Buffer.from(`0:${kind}${id}`).toString("base64").replace(/=+$/, "");

/** A stable id per login, so the same author always has the same id. */
export const userId = (login: string) => Number.parseInt(createHash("sha1").update(login).digest("hex").slice(0, 7), 16);

export function renderUser(ctx: RenderContext, login: string): User {
  const api = `${ctx.url}/users/${login}`;
  const id = userId(login);
  return {
    login,
    id,
    node_id: nodeId("User", id),
    avatar_url: `${ctx.url}/avatars/${login}`,
    gravatar_id: "",
    url: api,
    html_url: `${ctx.url}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
    user_view_type: "public",
  };
}

export function renderRepository(ctx: RenderContext, repo: RepoRecord): Repository {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.url}/${repo.owner}/${repo.name}`;
  const host = new URL(ctx.url).host;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: renderUser(ctx, repo.owner),
    private: true,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    license: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: "private",
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
  };
}

export function renderFullRepository(ctx: RenderContext, repo: RepoRecord, openPulls: number): S["full-repository"] {
  return {
    ...renderRepository(ctx, repo),
    has_discussions: false,
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    open_issues: openPulls,
    open_issues_count: openPulls,
    subscribers_count: 1,
    network_count: 0,
  };
}

/** The app that "runs" the fake's check runs. */
function checksApp(ctx: RenderContext): NonNullable<S["integration"]> {
  return {
    id: 15368,
    slug: "github-actions",
    node_id: nodeId("App", 15368),
    owner: renderUser(ctx, "github"),
    name: "GitHub Actions",
    description: "Automate your workflow from idea to production",
    external_url: "https://help.github.com/en/actions",
    html_url: `${ctx.url}/apps/github-actions`,
    created_at: EPOCH,
    updated_at: EPOCH,
    permissions: { checks: "write", contents: "write", metadata: "read" },
    events: ["check_run", "check_suite"],
  };
}

const link = (href: string) => ({ href });

export function renderPull(ctx: RenderContext, repo: RepoRecord, pull: PullRecord, facts: PullFacts): S["pull-request"] {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.url}/${repo.owner}/${repo.name}/pull/${pull.number}`;
  const self = `${api}/pulls/${pull.number}`;
  const repository = renderRepository(ctx, repo);
  const owner = renderUser(ctx, repo.owner);
  return {
    url: self,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${facts.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(ctx, pull.author),
    body: pull.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${repo.owner}:${pull.headRef}`, ref: pull.headRef, sha: facts.headSha, repo: repository, user: owner },
    base: { label: `${repo.owner}:${pull.baseRef}`, ref: pull.baseRef, sha: facts.baseSha, repo: repository, user: owner },
    _links: {
      self: link(self),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${self}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${self}/commits`),
      statuses: link(`${api}/statuses/${facts.headSha}`),
    },
    author_association: pull.author === repo.owner ? "OWNER" : "COLLABORATOR",
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: facts.mergeable,
    rebaseable: facts.mergeable,
    mergeable_state: facts.mergeableState,
    merged_by: pull.mergedBy ? renderUser(ctx, pull.mergedBy) : null,
    comments: facts.comments,
    review_comments: facts.reviewComments,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

export function renderMinimalPull(ctx: RenderContext, repo: RepoRecord, pull: PullRecord, headSha: string, baseSha: string): MinimalPull {
  const repoRef = { id: repo.id, url: `${ctx.url}/repos/${repo.owner}/${repo.name}`, name: repo.name };
  return {
    id: pull.id,
    number: pull.number,
    url: `${ctx.url}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`,
    head: { ref: pull.headRef, sha: headSha, repo: repoRef },
    base: { ref: pull.baseRef, sha: baseSha, repo: repoRef },
  };
}

export function renderCheckRun(ctx: RenderContext, repo: RepoRecord, run: CheckRunRecord, pulls: MinimalPull[]): CheckRun {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  const html = `${ctx.url}/${repo.owner}/${repo.name}/runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: String(run.id),
    url: `${api}/check-runs/${run.id}`,
    html_url: html,
    details_url: run.detailsUrl ?? html,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${api}/check-runs/${run.id}/annotations` },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: checksApp(ctx),
    pull_requests: pulls,
  };
}

export function renderStatus(ctx: RenderContext, repo: RepoRecord, status: StatusRecord): S["simple-commit-status"] {
  return {
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    url: `${ctx.url}/repos/${repo.owner}/${repo.name}/statuses/${status.sha}`,
    state: status.state,
    context: status.context,
    description: status.description,
    target_url: status.targetUrl,
    avatar_url: `${ctx.url}/avatars/ci`,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
  };
}

/** GitHub's roll-up: any failure or error fails; anything pending (or nothing at all) is pending. */
export function combinedState(states: StatusRecord["state"][]): "failure" | "pending" | "success" {
  if (states.some((state) => state === "failure" || state === "error")) return "failure";
  if (states.length === 0 || states.some((state) => state === "pending")) return "pending";
  return "success";
}

export function renderCombinedStatus(ctx: RenderContext, repo: RepoRecord, sha: string, latest: StatusRecord[]): S["combined-commit-status"] {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  return {
    state: combinedState(latest.map((status) => status.state)),
    statuses: latest.map((status) => renderStatus(ctx, repo, status)),
    sha,
    total_count: latest.length,
    // minimal-repository types the license more loosely than repository does.
    repository: { ...renderRepository(ctx, repo), license: null },
    commit_url: `${api}/commits/${sha}`,
    url: `${api}/commits/${sha}/status`,
  };
}

export function renderReview(ctx: RenderContext, repo: RepoRecord, review: ReviewRecord): S["pull-request-review"] & { id: number } {
  const pullUrl = `${ctx.url}/repos/${repo.owner}/${repo.name}/pulls/${review.number}`;
  const html = `${ctx.url}/${repo.owner}/${repo.name}/pull/${review.number}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: renderUser(ctx, review.author),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: link(html), pull_request: link(pullUrl) },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: review.author === repo.owner ? "OWNER" : "COLLABORATOR",
  };
}

export function renderReviewComment(
  ctx: RenderContext,
  repo: RepoRecord,
  comment: ReviewCommentRecord,
): S["pull-request-review-comment"] & { id: number } {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  const self = `${api}/pulls/comments/${comment.id}`;
  const pullUrl = `${api}/pulls/${comment.number}`;
  const html = `${ctx.url}/${repo.owner}/${repo.name}/pull/${comment.number}#discussion_r${comment.id}`;
  return {
    url: self,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId("PullRequestReviewComment", comment.id),
    diff_hunk: `@@ -${comment.line},1 +${comment.line},1 @@`,
    path: comment.path,
    position: 1,
    original_position: 1,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    ...(comment.inReplyTo !== null ? { in_reply_to_id: comment.inReplyTo } : {}),
    user: renderUser(ctx, comment.author),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: comment.author === repo.owner ? "OWNER" : "COLLABORATOR",
    _links: { self: link(self), html: link(html), pull_request: link(pullUrl) },
    start_line: null,
    original_start_line: null,
    start_side: null,
    line: comment.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: "line",
  };
}

export function renderIssueComment(ctx: RenderContext, repo: RepoRecord, comment: IssueCommentRecord): S["issue-comment"] & { id: number } {
  const api = `${ctx.url}/repos/${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    body: comment.body,
    html_url: `${ctx.url}/${repo.owner}/${repo.name}/pull/${comment.number}#issuecomment-${comment.id}`,
    user: renderUser(ctx, comment.author),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${api}/issues/${comment.number}`,
    author_association: comment.author === repo.owner ? "OWNER" : "COLLABORATOR",
  };
}
