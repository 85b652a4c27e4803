import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { repositories, runs, users } from "../db/schema";
import { DEMO_SCOPE, SAMPLE_REPO_FILES } from "../e2e/scripted-model/sample-repo";
import { improvise } from "../e2e/scripted-model/improvise";
import { SCENARIOS } from "../e2e/scripted-model/scenarios";
import { startScriptedModel } from "../e2e/scripted-model/server";
import { createAuth } from "../lib/auth/auth";
import { createUser } from "../lib/auth/create-user";
import { createBoss } from "../lib/jobs/boss";
import { createRun } from "../lib/runs/create-run";

/**
 * `npm run demo`: Foreman with the scripted model (e2e/scripted-model) instead of
 * a real one, a small sample repository and a first run, so a newcomer without
 * an OpenAI account can watch the loop. The UI says the model is scripted.
 */
export const DEMO_EMAIL = "demo@foreman.local";


/**
 * The sample repository has no repository-wide check: `sh test.sh` fails until
 * the greeting is fixed, which would fail every task of a scope a person types.
 * The demo's own tasks run it as their task check instead.
 */
export const DEMO_VERIFY_COMMAND = null;

export async function startDemoModel() {
  // Scopes and goals that people type are improvised, so every button of the demo can be tried.
  const model = await startScriptedModel({ scenarios: SCENARIOS, improvise });
  return model;
}

/** Seeds the demo once: an owner, the sample repository, one run whose manager asks a question. */
export async function seedDemo(url: string, config: { dataDir: string; secret: string; publicUrl: string }): Promise<string | null> {
  const database = createDb(url, { max: 2, name: "demo" });
  const boss = createBoss(url, "web");
  boss.on("error", () => {});
  try {
    const [{ value: people } = { value: 0 }] = await database.db.select({ value: count() }).from(users);
    let password: string | null = null;
    if (people === 0) {
      password = randomBytes(9).toString("base64url");
      const auth = createAuth(database.db, { secret: config.secret, publicUrl: config.publicUrl });
      await createUser(database.db, auth, { email: DEMO_EMAIL, name: "Demo owner", password, role: "owner" });
      writeFileSync(path.join(config.dataDir, "demo-login.txt"), `${DEMO_EMAIL}\n${password}\n`, { mode: 0o600 });
    }
    const repo = path.join(config.dataDir, "demo-repo");
    if (!existsSync(path.join(repo, ".git"))) {
      mkdirSync(repo, { recursive: true });
      for (const [file, content] of Object.entries(SAMPLE_REPO_FILES)) {
        mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        writeFileSync(path.join(repo, file), content);
      }
      const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=Foreman demo", "-c", "user.email=demo@foreman.local", ...args], { stdio: "pipe" });
      git("init", "-q", "-b", "main");
      git("add", ".");
      git("commit", "-qm", "Sample repository");
    }
    let [repository] = await database.db.select().from(repositories).where(eq(repositories.name, "demo greeter"));
    if (repository && repository.verifyCommand !== DEMO_VERIFY_COMMAND) {
      // Demos seeded before the repository check was dropped.
      [repository] = await database.db.update(repositories).set({ verifyCommand: DEMO_VERIFY_COMMAND }).where(eq(repositories.id, repository.id)).returning();
    }
    repository ??= (
      await database.db.insert(repositories).values({ name: "demo greeter", path: repo, baseBranch: "main", verifyCommand: DEMO_VERIFY_COMMAND }).returning()
    )[0];
    const [{ value: existingRuns } = { value: 0 }] = await database.db.select({ value: count() }).from(runs);
    if (existingRuns === 0) {
      await boss.start();
      await createRun(
        database.db,
        boss,
        {
          repositoryId: repository!.id,
          scope: DEMO_SCOPE,
        },
        null,
      );
    }
    return password;
  } finally {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    await database.close();
  }
}
