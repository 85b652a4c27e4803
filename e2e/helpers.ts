import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SAMPLE_REPO_FILES } from "./scripted-model/sample-repo";
import { type APIRequestContext, type APIResponse, expect } from "@playwright/test";

/** Small factories for browser tests: real git repositories, real API calls. */

export type GitRepo = { path: string; remove(): void };

/** A throwaway git repository with a `main` branch holding one commit of `files` (path → content). */
export function makeGitRepo(files: Record<string, string> = { "README.md": "# e2e fixture\n" }): GitRepo {
  const dir = mkdtempSync(path.join(tmpdir(), "foreman-e2e-repo-"));
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=Foreman E2E", "-c", "user.email=e2e@foreman.invalid", "-c", "commit.gpgsign=false", ...args],
      { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
  git("init", "--quiet", "--initial-branch=main");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git("add", ".");
  git("commit", "--quiet", "-m", "Initial commit");
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A name no other test (or earlier run against the same database) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Fails with the route, the status and the body, so a broken API reads plainly. */
async function expectStatus(response: APIResponse, expected: number, what: string): Promise<unknown> {
  const text = await response.text();
  expect(response.status(), `${what} answered ${response.status()} (expected ${expected}): ${text.slice(0, 2000)}`).toBe(expected);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${what} answered ${expected} but its body is not JSON: ${text.slice(0, 2000)}`);
  }
}

export type Repository = { id: string; name: string; path: string | null; baseBranch: string };

export async function createRepository(
  request: APIRequestContext,
  input: { path: string; name?: string },
): Promise<Repository> {
  const name = input.name ?? uniqueName("e2e-repo");
  const response = await request.post("/api/repositories", { data: { name, path: input.path } });
  const body = (await expectStatus(response, 201, "POST /api/repositories")) as { repository?: Repository };
  expect(body.repository?.id, `POST /api/repositories returned no repository id: ${JSON.stringify(body)}`).toBeTruthy();
  return body.repository!;
}

export type CreatedRun = { id: string; url: string };

/**
 * A run whose manager is played by the scripted model: by default it asks one
 * question and waits for the answer (`needs_input`), so the run stays open.
 */
export async function createRun(request: APIRequestContext, repositoryId: string, scope: string, scenario = "manager-questions"): Promise<CreatedRun> {
  const response = await request.post("/api/runs", { data: { repositoryId, scope: `${scope}\n\n[scenario:${scenario}]` } });
  const body = (await expectStatus(response, 201, "POST /api/runs")) as Partial<CreatedRun>;
  expect(body.id, `POST /api/runs returned no run id: ${JSON.stringify(body)}`).toBeTruthy();
  expect(body.url, `POST /api/runs returned no url: ${JSON.stringify(body)}`).toBeTruthy();
  return body as CreatedRun;
}

/** "Check now": the runner answers with a `heartbeat.completed` event. */
export async function requestHeartbeat(request: APIRequestContext, runId: string): Promise<{ queued: boolean }> {
  const response = await request.post(`/api/runs/${runId}/heartbeat`);
  return (await expectStatus(response, 202, `POST /api/runs/${runId}/heartbeat`)) as { queued: boolean };
}

export type StoredEvent = { seq: number; type: string };

/** Every stored event of a run, oldest first (the recovery route of DESIGN.md §8). */
export async function listEvents(request: APIRequestContext, runId: string): Promise<StoredEvent[]> {
  const response = await request.get(`/api/runs/${runId}/events?after=0`);
  const body = (await expectStatus(response, 200, `GET /api/runs/${runId}/events`)) as { events: StoredEvent[] };
  return body.events.map(({ seq, type }) => ({ seq, type }));
}

/** The scripted workers' sample repository (e2e/scripted-model/sample-repo.ts) as a real git checkout on `main`. */
export const makeSampleRepo = (files: Record<string, string> = SAMPLE_REPO_FILES): GitRepo => makeGitRepo(files);

/**
 * A run with a board to look at: the scripted manager's plan is approved at once, T1's worker hands off for
 * review and T2's worker claims a pass it never earned, so T2 is blocked (no follow-up turns). Resolves once
 * the API shows both; that is two real worker turns, so allow it a minute or more on a loaded machine.
 */
export async function createReviewBoardRun(request: APIRequestContext, repositoryId: string, title: string): Promise<CreatedRun> {
  const response = await request.post("/api/runs", {
    data: { repositoryId, title, scope: `${title}\n\nFix the greeting.\n\n[scenario:manager-review-board]`, settings: { autoApprovePlan: true, followUpCap: 0 } },
  });
  const run = (await expectStatus(response, 201, "POST /api/runs")) as CreatedRun;
  await expect
    .poll(
      async () => {
        const snapshot = (await (await request.get(`/api/runs/${run.id}`)).json()) as { tasks: { key: string; status: string }[] };
        return snapshot.tasks.map((task) => `${task.key}:${task.status}`).sort().join(" ");
      },
      { message: "T1 waits for review and T2 is blocked", timeout: 180_000, intervals: [1000] },
    )
    .toBe("T1:needs_review T2:blocked");
  return run;
}
