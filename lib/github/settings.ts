/** What the runner knows about GitHub from its environment (DESIGN.md §7). */
export type GitHubSettings = {
  /** GITHUB_API_URL: api.github.com, an Enterprise `/api/v3`, or a test server. */
  apiUrl: string;
  /** GITHUB_TOKEN: used for repositories without a stored token of their own. */
  token: string | null;
  /** FOREMAN_SECRET: opens the repositories' stored tokens. */
  secret: string | null;
  /** FOREMAN_PUBLIC_URL: PR bodies link back to the run. */
  publicUrl: string | null;
};

export const NO_GITHUB: GitHubSettings = { apiUrl: "https://api.github.com", token: null, secret: null, publicUrl: null };
