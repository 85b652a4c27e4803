import { Octokit } from "@octokit/rest";
import type { repositories } from "../../db/schema";
import { openSecret } from "../../lib/crypto/secrets";
import type { GitHubSettings } from "../../lib/github/settings";

/** A repository's GitHub connection; null means the hand-off is local (branch and diff). */
export type GitHubRepo = {
  octokit: Octokit;
  owner: string;
  repo: string;
  fullName: string;
  /** For git's credential helper only: never in a URL, an argument or a log. */
  token: string;
  /** Where git pushes: `<web>/<owner>/<repo>.git`. */
  remoteUrl: string;
  webUrl: string;
};

type Repository = Pick<typeof repositories.$inferSelect, "github" | "githubTokenEncrypted">;

export function connectGitHub(settings: GitHubSettings, repository: Repository): GitHubRepo | null {
  if (!repository.github) return null;
  const token = repository.githubTokenEncrypted && settings.secret ? openSecret(repository.githubTokenEncrypted, settings.secret) : settings.token;
  if (!token) return null;
  const [owner, repo] = repository.github.split("/") as [string, string];
  const webUrl = webUrlOf(settings.apiUrl);
  return {
    // Octokit's own retry/throttling plugins are not installed: rate limits are handled by the sync (it pauses until the reset).
    octokit: new Octokit({
      auth: token,
      baseUrl: settings.apiUrl,
      userAgent: "foreman",
      request: { timeout: 30_000 },
      // Failures reach the caller as errors (a 304 is one); Octokit's own request log would only repeat them.
      log: { debug: () => {}, info: () => {}, warn: (message: string) => console.warn(`[github] ${message}`), error: () => {} },
    }),
    owner,
    repo,
    fullName: repository.github,
    token,
    remoteUrl: `${webUrl}/${owner}/${repo}.git`,
    webUrl,
  };
}

/** Why a repository with a GitHub name still hands off locally, or null. */
export function localHandoffReason(settings: GitHubSettings, repository: Repository): string | null {
  if (!repository.github) return null;
  if (repository.githubTokenEncrypted || settings.token) return null;
  return `The repository names GitHub ${repository.github} but has no token (and GITHUB_TOKEN is not set): the hand-off is the local branch.`;
}

/**
 * The web (and git) base for an API base: api.github.com → github.com,
 * an Enterprise `https://host/api/v3` → `https://host`, anything else as is
 * (a test server serves both).
 */
export function webUrlOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "").replace(/\/api\/v3$/, "")}`;
  return base.replace(/\/+$/, "");
}
