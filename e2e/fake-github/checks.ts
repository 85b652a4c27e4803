import type { Core } from "./core";
import { branchTips, resolveCommit } from "./git";
import { ApiError } from "./http";
import {
  type AutoCheck,
  type CheckRunInput,
  checkRunInputSchema,
  type CommitStatusInput,
  commitStatusInputSchema,
} from "./schemas";
import { type CheckRunRecord, type RepoRecord, repoKey, type StatusRecord, timestamp } from "./state";

/** Check runs and commit statuses: what CI reports about a commit. */

export async function resolveRefOrFail(repo: RepoRecord, ref: string): Promise<string> {
  const sha = await resolveCommit(repo.gitDir, ref);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

/** Creates the named check run on `sha`, or updates it: a run moves queued → in_progress → completed under one id. */
export function upsertCheckRun(core: Core, repo: RepoRecord, sha: string, input: CheckRunInput): CheckRunRecord {
  const parsed = checkRunInputSchema.parse(input);
  const key = repoKey(repo.owner, repo.name);
  const now = timestamp();
  const completed = parsed.status === "completed";
  const conclusion = completed ? (parsed.conclusion ?? "success") : null;
  const existing = core.store.checkRuns.find((run) => run.repoKey === key && run.headSha === sha && run.name === parsed.name);
  if (existing) {
    existing.status = parsed.status;
    existing.conclusion = conclusion;
    existing.output = { ...existing.output, ...parsed.output };
    existing.completedAt = completed ? (existing.completedAt ?? now) : null;
    if (parsed.detailsUrl) existing.detailsUrl = parsed.detailsUrl;
    return existing;
  }
  const run: CheckRunRecord = {
    id: core.store.nextId(),
    repoKey: key,
    headSha: sha,
    suiteId: core.store.suiteId(key, sha),
    name: parsed.name,
    status: parsed.status,
    conclusion,
    output: { title: null, summary: null, text: null, ...parsed.output },
    detailsUrl: parsed.detailsUrl ?? null,
    startedAt: now,
    completedAt: completed ? now : null,
  };
  core.store.checkRuns.push(run);
  return run;
}

export function checkRunsOn(core: Core, repo: RepoRecord, sha: string): CheckRunRecord[] {
  const key = repoKey(repo.owner, repo.name);
  return core.store.checkRuns.filter((run) => run.repoKey === key && run.headSha === sha);
}

export function addStatus(core: Core, repo: RepoRecord, sha: string, input: CommitStatusInput): StatusRecord {
  const parsed = commitStatusInputSchema.parse(input);
  const now = timestamp();
  const status: StatusRecord = {
    id: core.store.nextId(),
    repoKey: repoKey(repo.owner, repo.name),
    sha,
    context: parsed.context,
    state: parsed.state,
    description: parsed.description ?? null,
    targetUrl: parsed.targetUrl ?? null,
    createdAt: now,
    updatedAt: now,
  };
  core.store.statuses.push(status);
  return status;
}

/** The newest status per context, newest first, as GitHub's combined status lists them. */
export function latestStatuses(core: Core, repo: RepoRecord, sha: string): StatusRecord[] {
  const key = repoKey(repo.owner, repo.name);
  const latest = new Map<string, StatusRecord>();
  for (const status of core.store.statuses) {
    if (status.repoKey === key && status.sha === sha) latest.set(status.context, status);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

/**
 * Notices branch tips the fake has not seen yet (after a push, a merge, at
 * creation) and gives each new sha the repository's auto checks once: a sha
 * that reaches a second branch (a fast-forward) keeps the checks it has.
 */
export function observeTips(core: Core, repo: RepoRecord): Promise<void> {
  return core.withRepoLock(repo, async () => {
    const tips = await branchTips(repo.gitDir);
    for (const [branch, sha] of tips) {
      const seen = repo.seenTips.get(branch) ?? [];
      if (seen.at(-1) === sha) continue;
      const index = seen.length;
      repo.seenTips.set(branch, [...seen, sha]);
      if (!repo.autoChecks || checkRunsOn(core, repo, sha).length > 0) continue;
      const tip = { owner: repo.owner, repo: repo.name, branch, sha, index };
      const inputs = typeof repo.autoChecks === "function" ? repo.autoChecks(tip) : repo.autoChecks.map((spec) => autoCheckFor(spec, index));
      for (const input of inputs) upsertCheckRun(core, repo, sha, input);
    }
  });
}

function autoCheckFor(spec: AutoCheck, index: number): CheckRunInput {
  const { sequence, ...base } = spec;
  const step = sequence && sequence.length > 0 ? sequence[Math.min(index, sequence.length - 1)] : undefined;
  return { ...base, ...step, output: { ...base.output, ...step?.output } };
}
