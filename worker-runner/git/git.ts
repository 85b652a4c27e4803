import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import os from "node:os";
import { inheritedVariables } from "../../lib/env";
import { SYSTEM_PATH } from "../contain/containment";

/**
 * git as the runner uses it: by absolute path with a PATH of its own (never a
 * `git` a worker planted in a directory on the runner's PATH), no prompts, no
 * hooks and no fsmonitor (both would run a program named in configuration),
 * and an explicit author (the machine may have none configured).
 */
export const FOREMAN_AUTHOR = { name: "Foreman", email: "foreman@localhost" } as const;

const CONFIG = [
  "-c", `user.name=${FOREMAN_AUTHOR.name}`,
  "-c", `user.email=${FOREMAN_AUTHOR.email}`,
  "-c", "commit.gpgsign=false",
  "-c", "core.hooksPath=/dev/null",
  "-c", "core.fsmonitor=false",
  "-c", "core.untrackedCache=false",
  "-c", "protocol.ext.allow=never",
  "-c", "advice.detachedHead=false",
];

export class GitError extends Error {
  override name = "GitError";
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(" ")} failed${code === null ? "" : ` (exit ${code})`}: ${stderr.trim().split("\n").slice(-3).join(" ") || "no output"}`);
  }
}

/** The system's git, found once on the system PATH only. */
export const GIT_BINARY = (() => {
  for (const dir of SYSTEM_PATH.split(":")) {
    try {
      accessSync(`${dir}/git`, constants.X_OK);
      return `${dir}/git`;
    } catch {
      // not here
    }
  }
  return "/usr/bin/git";
})();

export type GitResult = { stdout: string; stderr: string; code: number };

/** Runs git in `cwd`; throws GitError on a non-zero exit unless `allowFailure`. */
export function git(cwd: string, args: string[], options: { allowFailure?: boolean; maxBuffer?: number; env?: Record<string, string> } = {}): Promise<GitResult> {
  const env: Record<string, string> = {
    ...inheritedVariables(["LANG", "TZ"]),
    PATH: SYSTEM_PATH,
    HOME: os.homedir(),
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    execFile(
      GIT_BINARY,
      [...CONFIG, ...args],
      {
        cwd,
        env: env as NodeJS.ProcessEnv,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        if (error && (!options.allowFailure || code === null)) {
          reject(new GitError(args, code, stderr || error.message));
          return;
        }
        resolve({ stdout, stderr, code: code ?? 1 });
      },
    );
  });
}

export async function headSha(cwd: string): Promise<string> {
  return (await git(cwd, ["rev-parse", "HEAD"])).stdout.trim();
}
