import type { components } from "@octokit/openapi-types";
import type { z } from "zod";
import { checkRunsOn, latestStatuses, observeTips } from "./checks";
import type { Core } from "./core";
import { branchSha, commitTree, diffStats, isAncestor, mergeTree, rebaseCommits, updateBranch } from "./git";
import { ApiError } from "./http";
import { combinedState, type MinimalPull, type PullFacts, renderMinimalPull, renderPull } from "./render";
import type { createPullBodySchema, mergePullBodySchema, updatePullBodySchema } from "./schemas";
import { type PullRecord, type RepoRecord, repoKey, timestamp } from "./state";

/** Pull requests: creation, the state GitHub computes from git, and merging in the bare repository. */

type S = components["schemas"];

const validationFailed = (errors: Record<string, unknown>[]) => new ApiError(422, "Validation Failed", { errors });

export async function createPull(core: Core, repo: RepoRecord, body: z.output<typeof createPullBodySchema>): Promise<PullRecord> {
  // "owner:branch" names a branch of that owner's fork; the fake has no forks.
  const [headOwner, headBranch] = body.head.includes(":") ? body.head.split(/:(.*)/s) : [repo.owner, body.head];
  if (headOwner!.toLowerCase() !== repo.owner.toLowerCase()) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  const headSha = await branchSha(repo.gitDir, headBranch!);
  if (!headSha) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  const baseSha = await branchSha(repo.gitDir, body.base);
  if (!baseSha) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  const key = repoKey(repo.owner, repo.name);
  const open = core.store.pulls.find((pull) => pull.repoKey === key && pull.state === "open" && pull.headRef === headBranch && pull.baseRef === body.base);
  if (open) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${headBranch}.` }]);
  }
  if (await isAncestor(repo.gitDir, headSha, baseSha)) {
    throw validationFailed([{ resource: "PullRequest", code: "custom", message: `No commits between ${body.base} and ${headBranch}` }]);
  }
  await observeTips(core, repo);
  const now = timestamp();
  const pull: PullRecord = {
    id: core.store.nextId(),
    repoKey: key,
    number: repo.nextNumber++,
    title: body.title,
    body: body.body ?? null,
    headRef: headBranch!,
    baseRef: body.base,
    draft: body.draft ?? false,
    state: "open",
    merged: false,
    author: core.viewer,
    maintainerCanModify: body.maintainer_can_modify ?? true,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
    lastHeadSha: headSha,
    statsAtMerge: null,
  };
  core.store.pulls.push(pull);
  return pull;
}

/** Open pull requests whose head is at `sha` now: check runs and suites list them. */
export async function openPullsAt(core: Core, repo: RepoRecord, sha: string): Promise<MinimalPull[]> {
  const key = repoKey(repo.owner, repo.name);
  const found: MinimalPull[] = [];
  for (const pull of core.store.pulls.filter((candidate) => candidate.repoKey === key && candidate.state === "open")) {
    if ((await currentHeadSha(repo, pull)) !== sha) continue;
    found.push(renderMinimalPull(core.ctx, repo, pull, sha, (await branchSha(repo.gitDir, pull.baseRef)) ?? sha));
  }
  return found;
}

export async function currentHeadSha(repo: RepoRecord, pull: PullRecord): Promise<string> {
  const sha = await branchSha(repo.gitDir, pull.headRef);
  if (sha) pull.lastHeadSha = sha;
  return pull.lastHeadSha;
}

/**
 * mergeable comes from a real `git merge-tree` against the base; the state
 * ranks dirty (conflicts) > draft > blocked (changes requested) > unstable
 * (a check or status not green yet) > clean. The fake has no branch protection,
 * so blocked and unstable inform but do not stop a merge.
 */
export async function pullFacts(core: Core, repo: RepoRecord, pull: PullRecord): Promise<PullFacts> {
  const headSha = await currentHeadSha(repo, pull);
  const baseSha = (await branchSha(repo.gitDir, pull.baseRef)) ?? headSha;
  const key = repoKey(repo.owner, repo.name);
  const counts = {
    comments: core.store.issueComments.filter((comment) => comment.repoKey === key && comment.number === pull.number).length,
    reviewComments: core.store.reviewComments.filter((comment) => comment.repoKey === key && comment.number === pull.number).length,
  };
  if (pull.state === "closed") {
    const stats = pull.statsAtMerge ?? (await diffStats(repo.gitDir, baseSha, headSha));
    return { headSha, baseSha, mergeable: null, mergeableState: "unknown", ...stats, ...counts };
  }
  const { clean } = await mergeTree(repo.gitDir, baseSha, headSha);
  const stats = await diffStats(repo.gitDir, baseSha, headSha);
  return { headSha, baseSha, mergeable: clean, mergeableState: mergeableState(core, repo, pull, headSha, clean), ...stats, ...counts };
}

function mergeableState(core: Core, repo: RepoRecord, pull: PullRecord, headSha: string, clean: boolean): string {
  if (!clean) return "dirty";
  if (pull.draft) return "draft";
  const key = repoKey(repo.owner, repo.name);
  const latestByAuthor = new Map<string, string>();
  for (const review of core.store.reviews) {
    if (review.repoKey === key && review.number === pull.number && review.state !== "COMMENTED") latestByAuthor.set(review.author, review.state);
  }
  if ([...latestByAuthor.values()].includes("CHANGES_REQUESTED")) return "blocked";
  const checksGreen = checkRunsOn(core, repo, headSha).every(
    (run) => run.status === "completed" && (run.conclusion === "success" || run.conclusion === "neutral" || run.conclusion === "skipped"),
  );
  const statuses = latestStatuses(core, repo, headSha);
  const statusesGreen = statuses.length === 0 || combinedState(statuses.map((status) => status.state)) === "success";
  return checksGreen && statusesGreen ? "clean" : "unstable";
}

export async function renderPullRequest(core: Core, repo: RepoRecord, pull: PullRecord): Promise<S["pull-request"]> {
  return renderPull(core.ctx, repo, pull, await pullFacts(core, repo, pull));
}

export function updatePull(core: Core, repo: RepoRecord, pull: PullRecord, body: z.output<typeof updatePullBodySchema>): void {
  const now = timestamp();
  if (body.state === "open" && pull.state === "closed") {
    if (pull.merged) throw validationFailed([{ resource: "PullRequest", code: "custom", message: "state cannot be changed. The pull request cannot be reopened." }]);
    const key = repoKey(repo.owner, repo.name);
    const twin = core.store.pulls.find((other) => other.repoKey === key && other.state === "open" && other.headRef === pull.headRef && other.baseRef === pull.baseRef);
    if (twin) throw validationFailed([{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${repo.owner}:${pull.headRef}.` }]);
    pull.state = "open";
    pull.closedAt = null;
  } else if (body.state === "closed" && pull.state === "open") {
    pull.state = "closed";
    pull.closedAt = now;
  }
  if (body.title !== undefined) pull.title = body.title;
  if (body.body !== undefined) pull.body = body.body ?? null;
  pull.updatedAt = now;
}

/**
 * Merges as GitHub does, in the bare repository: "merge" writes a merge
 * commit (never a fast-forward), "squash" one commit on the base, "rebase"
 * replays the head's commits. The base moves with `update-ref <new> <old>`,
 * so a push to the base between reading and writing it is a 409, not a lost commit.
 */
export async function mergePull(
  core: Core,
  repo: RepoRecord,
  pull: PullRecord,
  body: z.output<typeof mergePullBodySchema>,
): Promise<S["pull-request-merge-result"]> {
  if (pull.state !== "open") throw new ApiError(405, "Pull Request is not mergeable");
  if (pull.draft) throw new ApiError(405, "Pull Request is still a draft");
  const headSha = await currentHeadSha(repo, pull);
  if (body.sha && body.sha !== headSha) throw new ApiError(409, "Head branch was modified. Review and try the merge again.");
  const baseSha = await branchSha(repo.gitDir, pull.baseRef);
  if (!baseSha) throw new ApiError(405, "Base branch was deleted");
  const { clean, tree } = await mergeTree(repo.gitDir, baseSha, headSha);
  if (!clean) throw new ApiError(405, "Pull Request is not mergeable");

  const author = core.identity(core.viewer);
  const title = body.commit_title ?? (body.merge_method === "squash" ? `${pull.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${repo.owner}/${pull.headRef}`);
  const details = body.commit_message ?? (body.merge_method === "squash" ? (pull.body ?? "") : pull.title);
  const message = details ? `${title}\n\n${details}` : title;
  const stats = await diffStats(repo.gitDir, baseSha, headSha);

  let newSha: string | null;
  if (body.merge_method === "merge") newSha = await commitTree(repo.gitDir, tree, [baseSha, headSha], message, author);
  else if (body.merge_method === "squash") newSha = await commitTree(repo.gitDir, tree, [baseSha], message, author);
  else newSha = (await isAncestor(repo.gitDir, baseSha, headSha)) ? headSha : await rebaseCommits(repo.gitDir, baseSha, headSha, author);
  if (!newSha) throw new ApiError(405, "This branch can't be rebased");
  if (!(await updateBranch(repo.gitDir, pull.baseRef, newSha, baseSha))) {
    throw new ApiError(409, "Base branch was modified. Review and try the merge again.");
  }

  const now = timestamp();
  Object.assign(pull, { state: "closed", merged: true, mergedAt: now, closedAt: now, updatedAt: now, mergeCommitSha: newSha, mergedBy: core.viewer, statsAtMerge: stats });
  core.store.merges.push({
    owner: repo.owner,
    repo: repo.name,
    number: pull.number,
    method: body.merge_method,
    sha: newSha,
    headSha,
    baseRef: pull.baseRef,
    baseShaBefore: baseSha,
    message,
    at: now,
  });
  await observeTips(core, repo);
  return { sha: newSha, merged: true, message: "Pull Request successfully merged" };
}
