import { existsSync } from "node:fs";
import path from "node:path";
import { observeTips } from "./checks";
import type { Core } from "./core";
import { initBareRepo, seedFromFiles, seedFromRepo } from "./git";
import { type CreateRepoInput, createRepoInputSchema } from "./schemas";
import { type AutoChecks, type RepoRecord, repoKey, timestamp } from "./state";

export type CreatedRepo = { cloneUrl: string; gitDir: string; defaultBranch: string };

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * A bare repository under `{reposRoot}/{owner}/{name}.git`, served by git
 * smart HTTP at `{url}/{owner}/{name}.git`. `autoChecks` may be a function
 * here (in-process callers); over HTTP it is the JSON list form.
 */
export async function createRepo(
  core: Core,
  owner: string,
  name: string,
  input: Omit<CreateRepoInput, "autoChecks"> & { autoChecks?: AutoChecks } = {},
): Promise<CreatedRepo> {
  if (!NAME.test(owner) || !NAME.test(name) || name.endsWith(".git")) throw new Error(`fake-github: bad repository name ${owner}/${name}`);
  const key = repoKey(owner, name);
  if (core.store.repos.has(key)) throw new Error(`fake-github: ${owner}/${name} exists already`);
  const { autoChecks, ...rest } = input;
  const parsed = createRepoInputSchema.parse({ ...rest, autoChecks: Array.isArray(autoChecks) ? autoChecks : undefined });
  const gitDir = path.join(core.reposRoot, owner, `${name}.git`);
  if (existsSync(gitDir)) throw new Error(`fake-github: ${gitDir} exists already`);

  await initBareRepo(gitDir, parsed.defaultBranch);
  if (parsed.seedFrom) await seedFromRepo(gitDir, parsed.seedFrom);
  if (parsed.files) await seedFromFiles(gitDir, parsed.files, parsed.defaultBranch, core.identity(owner));

  const repo: RepoRecord = {
    id: core.store.nextId(),
    owner,
    name,
    defaultBranch: parsed.defaultBranch,
    gitDir,
    createdAt: timestamp(),
    autoChecks: typeof autoChecks === "function" ? autoChecks : (parsed.autoChecks ?? null),
    seenTips: new Map(),
    nextNumber: 1,
  };
  core.store.repos.set(key, repo);
  await observeTips(core, repo);
  return { cloneUrl: `${core.ctx.url}/${owner}/${name}.git`, gitDir, defaultBranch: parsed.defaultBranch };
}
