import { git } from "../git/git";
import type { GitHubRepo } from "./client";

/**
 * git's credential helper reads the token from this process's environment:
 * the token is never part of a URL, an argument or git's config on disk.
 * `credential.helper=` first clears helpers the machine may have (a store
 * helper would write the token to disk).
 */
const TOKEN_VARIABLE = "FOREMAN_GIT_TOKEN";
const CREDENTIALS = [
  "-c", "credential.helper=",
  "-c", `credential.helper=!f() { test "$1" = get || exit 0; echo username=x-access-token; echo "password=$${TOKEN_VARIABLE}"; }; f`,
  "-c", "credential.useHttpPath=true",
];

/** Pushes the task branch to the GitHub remote; a follow-up's push updates the same PR. Never forces. */
export async function pushBranch(worktree: string, github: GitHubRepo, branch: string): Promise<string> {
  await git(worktree, [...CREDENTIALS, "push", "--quiet", "--porcelain", github.remoteUrl, `HEAD:refs/heads/${branch}`], {
    env: { [TOKEN_VARIABLE]: github.token },
  });
  return (await git(worktree, ["rev-parse", "HEAD"])).stdout.trim();
}

/**
 * Fetches the remote base branch into a Foreman-only ref (never the user's
 * branches) and returns that ref, for merging the base into a task branch.
 */
export async function fetchRemoteBase(worktree: string, github: GitHubRepo, baseBranch: string): Promise<string> {
  const ref = `refs/foreman/remote/${baseBranch}`;
  await git(worktree, [...CREDENTIALS, "fetch", "--quiet", "--no-tags", github.remoteUrl, `+refs/heads/${baseBranch}:${ref}`], {
    env: { [TOKEN_VARIABLE]: github.token },
  });
  return ref;
}
