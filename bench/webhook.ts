import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import { pullRequests, repositories, runs, tasks } from "../db/schema";
import { FakeGitHub } from "../e2e/fake-github/fake-github";
import { signWebhook } from "../e2e/fake-github/send-webhook";
import { receiveWebhook } from "../lib/github/receive-webhook";
import { createBoss } from "../lib/jobs/boss";
import { defaultRunSettings } from "../lib/runs/settings";
import { createAgentRuntime } from "../worker-runner/codex/runtime";
import { githubSync } from "../worker-runner/jobs/github-sync";
import { workQueues } from "../worker-runner/work-queues";
import { ms, sleep, summarize } from "./stats";

const TOKEN = "bench-token";
const SECRET = "bench-webhook-secret";

/**
 * Webhook → board state (issue #7: "a valid one updates the board within a
 * second"): a signed `check_run` delivery goes through the web's handler, the
 * runner's `github.sync` reads the fake GitHub (conditional requests) and
 * commits the PR's new CI state with its `task.ci_changed` event — the row the
 * board streams (the socket hop after it is the events bench's pipe number).
 * The check flips between success and failure on one head SHA; the task is
 * blocked, so no follow-up starts and only the sync is measured.
 */
export async function benchWebhook(rounds = 30): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "foreman-bench-webhook-"));
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), ephemeral: true });
  const fake = await FakeGitHub.start({ token: TOKEN, dataDir: path.join(dataDir, "github") });
  const database = createDb(server.url, { max: 5, name: "bench-webhook" });
  const aborter = new AbortController();
  const runnerBoss = createBoss(server.url, "runner");
  const webBoss = createBoss(server.url, "web");
  try {
    await migrateDatabase(server.url);
    const { db } = database;
    // A checkout with a task branch one commit ahead of main, mirrored on the fake GitHub with a PR.
    const checkout = path.join(dataDir, "checkout");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=Bench", "-c", "user.email=bench@foreman.invalid", ...args], { cwd: checkout, stdio: "pipe" }).toString().trim();
    execFileSync("git", ["init", "--quiet", "--initial-branch=main", checkout]);
    writeFileSync(path.join(checkout, "greeting.txt"), "hello\n");
    git("add", ".");
    git("commit", "--quiet", "-m", "init");
    git("checkout", "--quiet", "-b", "foreman/bench/T1");
    writeFileSync(path.join(checkout, "greeting.txt"), "hello, world\n");
    git("commit", "--quiet", "-am", "T1");
    const headSha = git("rev-parse", "HEAD");
    git("checkout", "--quiet", "main");
    await fake.createRepo("acme", "bench", { seedFrom: checkout });
    const octokit = new Octokit({ auth: TOKEN, baseUrl: fake.url });
    const { data: pull } = await octokit.pulls.create({ owner: "acme", repo: "bench", title: "T1", head: "foreman/bench/T1", base: "main" });

    const [repository] = await db.insert(repositories).values({ name: "bench", path: checkout, github: "acme/bench" }).returning();
    const [run] = await db.insert(runs).values({ repositoryId: repository!.id, title: "bench", scope: "bench", status: "running", settings: defaultRunSettings() }).returning();
    const [task] = await db.insert(tasks).values({ runId: run!.id, key: "T1", title: "T1", goal: "bench", status: "blocked", branch: "foreman/bench/T1" }).returning();
    const [pr] = await db
      .insert(pullRequests)
      .values({ runId: run!.id, taskId: task!.id, repositoryId: repository!.id, number: pull.number, url: pull.html_url, headBranch: "foreman/bench/T1", headSha, baseBranch: "main" })
      .returning();

    await runnerBoss.start();
    await webBoss.start();
    const agents = createAgentRuntime({ dataDir, hostname: os.hostname(), github: { apiUrl: fake.url, token: TOKEN, secret: null, publicUrl: null } });
    await workQueues(runnerBoss, { db, boss: runnerBoss, runnerId: "bench-runner", signal: aborter.signal, agents }, [githubSync]);

    const latencies: number[] = [];
    for (let round = 0; round < rounds + 3; round++) {
      const conclusion = round % 2 === 0 ? "failure" : "success";
      const check = await fake.setCheckRun("acme", "bench", headSha, { name: "ci", status: "completed", conclusion });
      const body = JSON.stringify(await fake.webhookPayload({ event: "check_run", owner: "acme", repo: "bench", checkRunId: check.id }));
      const started = performance.now();
      await receiveWebhook(db, webBoss, SECRET, { body, signature: signWebhook(SECRET, body), event: "check_run", deliveryId: randomUUID() });
      for (;;) {
        const [row] = await db.select({ ciState: pullRequests.ciState }).from(pullRequests).where(eq(pullRequests.id, pr!.id));
        if (row?.ciState === conclusion) break;
        if (performance.now() - started > 30_000) throw new Error(`the sync did not record ${conclusion} within 30 s`);
        await sleep(5);
      }
      // The first rounds warm up connections and pg-boss's workers.
      if (round >= 3) latencies.push(performance.now() - started);
    }
    const { p50, p99 } = summarize(latencies);
    console.log(`webhook → board state (signed check_run → verify → github.sync → PR CI state + event committed), ${rounds} deliveries:`);
    console.log(`  p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(Math.max(...latencies))}  (polled every 5 ms; the socket hop to the browser is the events bench's pipe)`);
  } finally {
    aborter.abort();
    await runnerBoss.stop({ graceful: false, close: true }).catch(() => undefined);
    await webBoss.stop({ graceful: false, close: true }).catch(() => undefined);
    await database.close().catch(() => undefined);
    await fake.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
