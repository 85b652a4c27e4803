import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../db/client";
import { attempts, repositories, runs, tasks, users } from "../../db/schema";
import { defaultRunSettings } from "../../lib/runs/settings";
import { SAMPLE_REPO_FILES, SAMPLE_TEST_COMMAND } from "../../e2e/scripted-model/sample-repo";
import { marker } from "../../e2e/scripted-model/scenarios/workers";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** A real git repository with a `main` branch and one commit. */
export function makeGitRepo(files: Record<string, string> = { "README.md": "# demo\n" }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "foreman-repo-"));
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { stdio: "pipe" });
  git("init", "-q", "-b", "main");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git("add", ".");
  git("-c", "user.name=Foreman Test", "-c", "user.email=test@foreman.invalid", "commit", "-qm", "initial");
  return dir;
}

export async function seedRepository(db: Db, overrides: Partial<typeof repositories.$inferInsert> = {}) {
  const [row] = await db
    .insert(repositories)
    .values({ name: unique("repo"), path: "/tmp/does-not-matter", baseBranch: "main", ...overrides })
    .returning();
  return row!;
}

export async function seedRun(db: Db, overrides: Partial<typeof runs.$inferInsert> = {}) {
  const repositoryId = overrides.repositoryId ?? (await seedRepository(db)).id;
  const [row] = await db
    .insert(runs)
    .values({ title: unique("run"), scope: "Do the thing.", settings: defaultRunSettings(), ...overrides, repositoryId })
    .returning();
  return row!;
}

export async function seedTask(db: Db, overrides: Partial<typeof tasks.$inferInsert> & { runId: string }) {
  const [row] = await db
    .insert(tasks)
    .values({ key: unique("T"), title: "A task", goal: "Change one thing.", ...overrides })
    .returning();
  return row!;
}

export async function seedAttempt(db: Db, overrides: Partial<typeof attempts.$inferInsert> & { taskId: string; runId: string }) {
  const [row] = await db
    .insert(attempts)
    .values({ number: 1, status: "running", ...overrides })
    .returning();
  return row!;
}

/** A person who can act on runs: events store their id, sentences show their name. */
export async function seedUser(db: Db, overrides: Partial<typeof users.$inferInsert> = {}) {
  const id = unique("user");
  const [row] = await db
    .insert(users)
    .values({ id, name: "Alice Example", email: `${id}@example.com`, role: "operator", ...overrides })
    .returning();
  return row!;
}

/**
 * A fresh copy of the sample repository, a running run and its ready task T1,
 * played by the scripted worker `scenario` (for tests and benches that start
 * the task through the queue, with real runner processes).
 */
export async function seedScenarioTask(db: Db, scenario: string) {
  const repo = makeGitRepo(SAMPLE_REPO_FILES);
  const repository = await seedRepository(db, { path: repo });
  const run = await seedRun(db, { repositoryId: repository.id, status: "running" });
  const task = await seedTask(db, {
    runId: run.id,
    key: "T1",
    goal: `${marker(scenario)} Make greeting.txt say "hello, world" so that sh test.sh passes.`,
    scope: ["greeting.txt"],
    verification: { commands: [SAMPLE_TEST_COMMAND], manual: null },
    status: "ready",
  });
  return { repo, run, task };
}
