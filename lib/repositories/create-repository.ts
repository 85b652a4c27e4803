import "server-only";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { repositories } from "../../db/schema";
import { sealSecret } from "../crypto/secrets";
import { AppError } from "../errors/app-error";
import type { CreateRepositoryInput } from "./schema";

const git = promisify(execFile);

export type RepositoryView = Omit<typeof repositories.$inferSelect, "githubTokenEncrypted"> & { hasGithubToken: boolean };

/** Never send the stored token, even encrypted, to a client. */
export function toRepositoryView(row: typeof repositories.$inferSelect): RepositoryView {
  const { githubTokenEncrypted, ...rest } = row;
  return { ...rest, hasGithubToken: Boolean(githubTokenEncrypted) };
}

export async function createRepository(
  db: Db,
  input: CreateRepositoryInput,
  createdBy: string | null,
  secret: string,
): Promise<RepositoryView> {
  let localPath: string | null = null;
  if (input.path) {
    if (!path.isAbsolute(input.path)) throw new AppError("validation_failed", "path: give the absolute path of a local git checkout.");
    localPath = path.normalize(input.path);
    await checkCheckout(localPath, input.baseBranch);
  }
  const [existing] = await db.select({ id: repositories.id }).from(repositories).where(eq(repositories.name, input.name));
  if (existing) throw new AppError("state_conflict", `A repository named "${input.name}" exists already; pick another name.`);
  const [row] = await db
    .insert(repositories)
    .values({
      name: input.name,
      path: localPath,
      url: input.url ?? null,
      baseBranch: input.baseBranch,
      github: input.github ?? null,
      githubTokenEncrypted: input.githubToken ? sealSecret(input.githubToken, secret) : null,
      setupScript: input.setupScript?.trim() || null,
      setupNetwork: input.setupNetwork,
      verifyCommand: input.verifyCommand?.trim() || null,
      envFiles: input.envFiles,
      testPatterns: input.testPatterns ?? null,
      checkFiles: input.checkFiles,
      createdBy,
    })
    .returning();
  return toRepositoryView(row!);
}

async function checkCheckout(dir: string, baseBranch: string): Promise<void> {
  try {
    await git("git", ["-C", dir, "rev-parse", "--git-dir"], { timeout: 10_000 });
  } catch {
    throw new AppError("validation_failed", `path: ${dir} is not a git checkout (git rev-parse failed). Run \`git init\` there or give another path.`);
  }
  try {
    await git("git", ["-C", dir, "rev-parse", "--verify", "--quiet", `refs/heads/${baseBranch}`], { timeout: 10_000 });
  } catch {
    throw new AppError("validation_failed", `baseBranch: ${dir} has no branch "${baseBranch}". Name an existing branch.`);
  }
}
