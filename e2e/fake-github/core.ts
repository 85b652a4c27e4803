import type { GitIdentity } from "./git";
import { ApiError } from "./http";
import { type RenderContext, userId } from "./render";
import { type PullRecord, type RepoRecord, repoKey, Store } from "./state";

/** What every part of the fake shares: the store, where it is served, who the token belongs to. */
export class Core {
  readonly store = new Store();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly ctx: RenderContext,
    /** The login the API token belongs to: author of PRs, replies and merges made through the API. */
    readonly viewer: string,
    /** Holds `{owner}/{repo}.git`; git-http-backend's GIT_PROJECT_ROOT. */
    readonly reposRoot: string,
  ) {}

  /** The repository, or GitHub's 404 (it answers 404, not 403, for repositories you cannot see). */
  repo(owner: string, name: string): RepoRecord {
    const repo = this.store.repos.get(repoKey(owner, name));
    if (!repo) throw new ApiError(404, "Not Found");
    return repo;
  }

  /** A pull request (or, for /issues routes, the issue it is) of the repository, or 404. */
  pull(repo: RepoRecord, number: string | number): PullRecord {
    const pull = this.store.pull(repoKey(repo.owner, repo.name), Number(number));
    if (!pull) throw new ApiError(404, "Not Found");
    return pull;
  }

  identity(login: string): GitIdentity {
    return { name: login, email: `${userId(login)}+${login}@users.noreply.github.com` };
  }

  /** Runs `fn` after every earlier locked call on the repository: merges and auto checks never interleave. */
  withRepoLock<T>(repo: RepoRecord, fn: () => Promise<T>): Promise<T> {
    const key = repoKey(repo.owner, repo.name);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(fn);
    this.locks.set(key, next);
    return next;
  }
}
