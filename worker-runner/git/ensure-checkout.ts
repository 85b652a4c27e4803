import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { repositories } from "../../db/schema";
import { git } from "./git";
import { WorktreeError } from "./prepare-worktree";

/** A repository given by URL is cloned once into FOREMAN_DATA_DIR/repos/. */
export async function ensureCheckout(runtime: { dataDir: string }, repository: typeof repositories.$inferSelect): Promise<string> {
  if (repository.path) return repository.path;
  if (!repository.url) throw new WorktreeError("The repository has neither a path nor a URL.");
  const target = path.join(runtime.dataDir, "repos", repository.id);
  if (!existsSync(path.join(target, ".git"))) {
    mkdirSync(path.dirname(target), { recursive: true });
    await git(path.dirname(target), ["clone", "--quiet", "--branch", repository.baseBranch, "--", repository.url, target]);
  }
  return target;
}
