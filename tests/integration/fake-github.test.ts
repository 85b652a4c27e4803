import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { Webhooks } from "@octokit/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHub } from "../../e2e/fake-github/fake-github";

/** The fake GitHub, driven through @octokit/rest exactly as Foreman drives GitHub. */

const TOKEN = "fake-token-for-tests";
const OWNER = "acme";
let fake: FakeGitHub;
let octokit: Octokit;
let repoCounter = 0;
// Octokit logs every failed request; here failures are the point.
const quiet = { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} };

beforeAll(async () => {
  fake = await FakeGitHub.start({ token: TOKEN });
  octokit = new Octokit({ auth: TOKEN, baseUrl: fake.url, log: quiet });
});

const localDirs: string[] = [];

afterAll(async () => {
  await fake?.close();
  for (const dir of localDirs) rmSync(dir, { recursive: true, force: true });
});

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-C", dir, "-c", "user.name=Dev", "-c", "user.email=dev@example.invalid", ...args], { encoding: "utf8" }).trim();

function localRepo(files: Record<string, string> = { "README.md": "# widgets\n" }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fake-github-local-"));
  localDirs.push(dir);
  git(dir, "init", "-q", "-b", "main");
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "initial");
  return dir;
}

function commitOn(dir: string, branch: string, file: string, content: string, message = `change ${file}`): string {
  const exists = git(dir, "branch", "--list", branch) !== "";
  git(dir, "checkout", "-q", ...(exists ? [branch] : ["-b", branch]));
  writeFileSync(path.join(dir, file), content);
  git(dir, "add", file);
  git(dir, "commit", "-qm", message);
  return git(dir, "rev-parse", "HEAD");
}

/** git over http; the token only ever reaches git through the credential helper's environment, never the URL. */
function gitOverHttp(dir: string, args: string[], token = TOKEN): Promise<{ code: number; stderr: string }> {
  const helper = "!f() { echo username=x-access-token; echo password=$FAKE_GITHUB_TOKEN; }; f";
  return new Promise((resolve) => {
    execFile(
      "git",
      ["-C", dir, "-c", "credential.helper=", "-c", `credential.helper=${helper}`, ...args],
      { env: { ...process.env, FAKE_GITHUB_TOKEN: token, GIT_TERMINAL_PROMPT: "0" } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

const push = (dir: string, remote: string, refspec: string, token = TOKEN) => gitOverHttp(dir, ["push", "-q", remote, refspec], token);

/** The HTTP status Octokit threw with (it throws for 304 as for errors), or the success status. */
async function statusOf(request: Promise<{ status: number }>): Promise<number> {
  try {
    return (await request).status;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

async function requestError(request: Promise<unknown>): Promise<{ status: number; message: string; response: { headers: Record<string, string>; data: unknown } }> {
  try {
    await request;
  } catch (error) {
    return error as never;
  }
  throw new Error("expected the request to fail");
}

/** A fresh fake repository seeded from a fresh local one, so tests never share state. */
async function seededRepo(options: Parameters<FakeGitHub["createRepo"]>[2] = {}, files?: Record<string, string>) {
  const name = `widgets-${++repoCounter}`;
  const local = localRepo(files);
  const { cloneUrl, gitDir } = await fake.createRepo(OWNER, name, { seedFrom: local, ...options });
  return { name, local, cloneUrl, gitDir, repo: { owner: OWNER, repo: name } };
}

/** A webhook endpoint that keeps what it receives and answers 202. */
async function startReceiver() {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(202, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("fake GitHub", () => {
  it("serves a repository seeded from a local one, and takes a branch pushed over http with the token from a credential helper", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo();
    expect(cloneUrl).toBe(`${fake.url}/${OWNER}/${name}.git`);

    const { data } = await octokit.rest.repos.get(repo);
    expect(data).toMatchObject({ full_name: `${OWNER}/${name}`, default_branch: "main", clone_url: cloneUrl });

    const sha = commitOn(local, "feature/greeting", "greeting.txt", "hello\n");
    const before = fake.requests.length;
    expect(await push(local, cloneUrl, "feature/greeting")).toMatchObject({ code: 0 });
    expect(await fake.branches(OWNER, name)).toEqual({ main: git(local, "rev-parse", "main"), "feature/greeting": sha });

    const gitRequests = fake.requests.slice(before).filter((request) => request.kind === "git");
    // git tries without credentials, gets the Basic challenge, then asks the helper.
    expect(gitRequests.map((request) => request.status)).toEqual([401, 200, 200]);
    expect(gitRequests.at(-1)).toMatchObject({ method: "POST", route: "GIT /git-receive-pack" });
    expect(JSON.stringify(fake.requests)).not.toContain(TOKEN);

    const clone = mkdtempSync(path.join(os.tmpdir(), "fake-github-clone-"));
    localDirs.push(clone);
    expect(await gitOverHttp(clone, ["clone", "-q", "--branch", "feature/greeting", cloneUrl, "."])).toMatchObject({ code: 0 });
    expect(git(clone, "rev-parse", "HEAD")).toBe(sha);
    expect(git(clone, "show", "HEAD:greeting.txt")).toBe("hello");
  });

  it("opens a pull request whose head follows the branch, and answers a conditional GET with 304 until the pull request changes", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo();
    const first = commitOn(local, "feature", "a.txt", "one\n");
    await push(local, cloneUrl, "feature");

    const created = await octokit.rest.pulls.create({ ...repo, title: "Add a", head: "feature", base: "main", body: "Adds a.", draft: false });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      number: 1,
      state: "open",
      title: "Add a",
      body: "Adds a.",
      draft: false,
      merged: false,
      mergeable: true,
      mergeable_state: "clean",
      html_url: `${fake.url}/${OWNER}/${name}/pull/1`,
      head: { ref: "feature", sha: first },
      base: { ref: "main", sha: git(local, "rev-parse", "main") },
      user: { login: fake.viewer },
      commits: 1,
      additions: 1,
      changed_files: 1,
    });

    const fetched = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    const etag = fetched.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    expect(await statusOf(octokit.rest.pulls.get({ ...repo, pull_number: 1, headers: { "if-none-match": etag } }))).toBe(304);
    expect(fake.requests.at(-1)).toMatchObject({ route: "GET /repos/:owner/:repo/pulls/:number", status: 304, ifNoneMatch: true });

    const second = commitOn(local, "feature", "a.txt", "two\n");
    await push(local, cloneUrl, "feature");
    const changed = await octokit.rest.pulls.get({ ...repo, pull_number: 1, headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.data.head.sha).toBe(second);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it("refuses with 422 a pull request for a branch the repository lacks, or a second one for the same head", async () => {
    const { local, cloneUrl, repo } = await seededRepo();
    const missing = await requestError(octokit.rest.pulls.create({ ...repo, title: "x", head: "nope", base: "main" }));
    expect(missing.status).toBe(422);
    expect(missing.response.data).toMatchObject({ message: "Validation Failed", errors: [{ resource: "PullRequest", field: "head", code: "invalid" }] });

    commitOn(local, "feature", "a.txt", "a\n");
    await push(local, cloneUrl, "feature");
    await octokit.rest.pulls.create({ ...repo, title: "first", head: "feature", base: "main" });
    const twice = await requestError(octokit.rest.pulls.create({ ...repo, title: "second", head: `${OWNER}:feature`, base: "main" }));
    expect(twice.status).toBe(422);
    expect(twice.response.data).toMatchObject({ errors: [{ message: `A pull request already exists for ${OWNER}:feature.` }] });
  });

  it("reports check runs and statuses: auto checks fail the first head and pass the next, and a run's output is readable by id", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo({
      autoChecks: [
        {
          name: "test",
          sequence: [
            { conclusion: "failure", output: { title: "1 test failed", summary: "expected 2, got 3", text: "FAIL sum.test.ts\n  expected 2, got 3" } },
            { conclusion: "success", output: { title: "all green", summary: "12 passed", text: "" } },
          ],
        },
      ],
    });
    const first = commitOn(local, "feature", "sum.ts", "export const sum = 3;\n");
    await push(local, cloneUrl, "feature");
    await octokit.rest.pulls.create({ ...repo, title: "Sum", head: "feature", base: "main" });

    const failing = await octokit.rest.checks.listForRef({ ...repo, ref: first });
    expect(failing.data.total_count).toBe(1);
    const run = failing.data.check_runs[0]!;
    expect(run).toMatchObject({ name: "test", head_sha: first, status: "completed", conclusion: "failure", pull_requests: [{ number: 1 }] });
    const byId = await octokit.rest.checks.get({ ...repo, check_run_id: run.id });
    expect(byId.data.output).toMatchObject({ title: "1 test failed", text: "FAIL sum.test.ts\n  expected 2, got 3" });
    expect((await octokit.rest.pulls.get({ ...repo, pull_number: 1 })).data.mergeable_state).toBe("unstable");

    const second = commitOn(local, "feature", "sum.ts", "export const sum = 2;\n");
    await push(local, cloneUrl, "feature");
    const passing = await octokit.rest.checks.listForRef({ ...repo, ref: "feature" });
    expect(passing.data.check_runs.map((check) => [check.head_sha, check.conclusion])).toEqual([[second, "success"]]);

    // A scripted run moves through its states under one id.
    const lint = await fake.setCheckRun(OWNER, name, second, { name: "lint", status: "in_progress" });
    let lintRun = (await octokit.rest.checks.listForRef({ ...repo, ref: second, check_name: "lint" })).data.check_runs;
    expect(lintRun).toMatchObject([{ id: lint.id, status: "in_progress", conclusion: null }]);
    await fake.setCheckRun(OWNER, name, second, { name: "lint", status: "completed", conclusion: "success" });
    lintRun = (await octokit.rest.checks.listForRef({ ...repo, ref: second, check_name: "lint" })).data.check_runs;
    expect(lintRun).toMatchObject([{ id: lint.id, status: "completed", conclusion: "success" }]);

    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: second })).data).toMatchObject({ state: "pending", total_count: 0 });
    await fake.setStatus(OWNER, name, second, { context: "ci/build", state: "pending" });
    await fake.setStatus(OWNER, name, second, { context: "ci/build", state: "success" });
    await fake.setStatus(OWNER, name, second, { context: "ci/deploy", state: "failure", description: "preview failed" });
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: "feature" });
    expect(combined.data).toMatchObject({ state: "failure", sha: second, total_count: 2 });
    expect(combined.data.statuses.map((status) => [status.context, status.state])).toEqual([
      ["ci/deploy", "failure"],
      ["ci/build", "success"],
    ]);
  });

  it("lists reviews, review comments and issue comments, and records the replies and comments posted through the API", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo();
    const head = commitOn(local, "feature", "a.txt", "a\n");
    await push(local, cloneUrl, "feature");
    await octokit.rest.pulls.create({ ...repo, title: "A", head: "feature", base: "main" });

    const review = await fake.addReview(OWNER, name, 1, { author: "alice", state: "CHANGES_REQUESTED", body: "Please rename." });
    const comment = await fake.addReviewComment(OWNER, name, 1, { author: "alice", path: "a.txt", line: 1, body: "Call it b?", reviewId: review.id });
    fake.addIssueComment(OWNER, name, 1, { author: "bob", body: "Looks close." });

    const reviews = await octokit.rest.pulls.listReviews({ ...repo, pull_number: 1 });
    expect(reviews.data).toMatchObject([{ id: review.id, state: "CHANGES_REQUESTED", body: "Please rename.", user: { login: "alice" }, commit_id: head }]);
    expect((await octokit.rest.pulls.get({ ...repo, pull_number: 1 })).data.mergeable_state).toBe("blocked");
    const reviewComments = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: 1 });
    expect(reviewComments.data).toMatchObject([{ id: comment.id, path: "a.txt", line: 1, body: "Call it b?", pull_request_review_id: review.id }]);
    const issueComments = await octokit.rest.issues.listComments({ ...repo, issue_number: 1 });
    expect(issueComments.data).toMatchObject([{ body: "Looks close.", user: { login: "bob" } }]);
    expect((await octokit.rest.issues.listComments({ ...repo, issue_number: 1, page: 2 })).data).toEqual([]);

    const reply = await octokit.rest.pulls.createReplyForReviewComment({ ...repo, pull_number: 1, comment_id: comment.id, body: "Renamed." });
    expect(reply.status).toBe(201);
    expect(reply.data).toMatchObject({ in_reply_to_id: comment.id, path: "a.txt", body: "Renamed.", user: { login: fake.viewer } });
    const posted = await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: "Ready for another look." });
    expect(posted.status).toBe(201);

    expect(fake.posted.filter((entry) => entry.repo === name)).toMatchObject([
      { kind: "review_comment_reply", number: 1, id: reply.data.id, inReplyTo: comment.id, body: "Renamed." },
      { kind: "issue_comment", number: 1, id: posted.data.id, inReplyTo: null, body: "Ready for another look." },
    ]);
    const thread = await octokit.rest.pulls.listReviewComments({ ...repo, pull_number: 1, per_page: 1, page: 2 });
    expect(thread.data).toMatchObject([{ id: reply.data.id }]);
    expect(thread.headers.link).toContain('rel="prev"');
  });

  it("merges into the base branch of the bare repository: a merge commit for merge, one commit for squash, replayed commits for rebase", async () => {
    const { local, cloneUrl, gitDir, repo, name } = await seededRepo();
    const mainBefore = git(local, "rev-parse", "main");
    const head = commitOn(local, "feature", "a.txt", "a\n");
    git(local, "checkout", "-q", "main");
    commitOn(local, "other", "b.txt", "b\n");
    commitOn(local, "other", "c.txt", "c\n");
    git(local, "checkout", "-q", "main");
    commitOn(local, "replayed", "d.txt", "d\n", "Add d");
    commitOn(local, "replayed", "e.txt", "e\n", "Add e");
    for (const branch of ["feature", "other", "replayed"]) await push(local, cloneUrl, branch);
    await octokit.rest.pulls.create({ ...repo, title: "Add a", head: "feature", base: "main" });
    await octokit.rest.pulls.create({ ...repo, title: "Add b and c", head: "other", base: "main" });
    await octokit.rest.pulls.create({ ...repo, title: "Add d and e", head: "replayed", base: "main" });

    const merged = await octokit.rest.pulls.merge({ ...repo, pull_number: 1, sha: head });
    expect(merged.data).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    const branches = await fake.branches(OWNER, name);
    expect(branches.main).toBe(merged.data.sha);
    const bare = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8" }).trim();
    expect(bare("rev-list", "--parents", "-n", "1", "main").split(" ").slice(1)).toEqual([mainBefore, head]);
    expect(bare("log", "-1", "--format=%s|%an|%cn", "main")).toBe(`Merge pull request #1 from ${OWNER}/feature|${fake.viewer}|GitHub`);

    const squashed = await octokit.rest.pulls.merge({ ...repo, pull_number: 2, merge_method: "squash" });
    expect(bare("rev-list", "--parents", "-n", "1", "main").split(" ").slice(1)).toEqual([merged.data.sha]);
    expect(bare("ls-tree", "--name-only", "main").split("\n")).toEqual(["README.md", "a.txt", "b.txt", "c.txt"]);
    expect(bare("log", "-1", "--format=%s", "main")).toBe("Add b and c (#2)");

    const rebased = await octokit.rest.pulls.merge({ ...repo, pull_number: 3, merge_method: "rebase" });
    expect(bare("log", "--format=%s", `${squashed.data.sha}..main`).split("\n")).toEqual(["Add e", "Add d"]);
    expect(bare("rev-parse", "main")).toBe(rebased.data.sha);

    expect(fake.merges.filter((merge) => merge.repo === name)).toMatchObject([
      { number: 1, method: "merge", headSha: head, baseShaBefore: mainBefore, sha: merged.data.sha },
      { number: 2, method: "squash", baseShaBefore: merged.data.sha, sha: squashed.data.sha },
      { number: 3, method: "rebase", baseShaBefore: squashed.data.sha, sha: rebased.data.sha },
    ]);
    const pull = await octokit.rest.pulls.get({ ...repo, pull_number: 1 });
    expect(pull.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.data.sha, merged_by: { login: fake.viewer } });
    expect(await statusOf(octokit.rest.pulls.merge({ ...repo, pull_number: 1 }))).toBe(405);
  });

  it("refuses to merge a conflicting, closed or draft pull request (405) or one whose head moved past the given sha (409), leaving the base alone", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo({}, { "shared.txt": "base\n" });
    commitOn(local, "left", "shared.txt", "left\n");
    git(local, "checkout", "-q", "main");
    const right = commitOn(local, "right", "shared.txt", "right\n");
    await push(local, cloneUrl, "left");
    await push(local, cloneUrl, "right");
    await octokit.rest.pulls.create({ ...repo, title: "Left", head: "left", base: "main" });
    await octokit.rest.pulls.merge({ ...repo, pull_number: 1 });
    const mainAfterFirst = (await fake.branches(OWNER, name)).main;

    await octokit.rest.pulls.create({ ...repo, title: "Right", head: "right", base: "main" });
    const conflicted = await octokit.rest.pulls.get({ ...repo, pull_number: 2 });
    expect(conflicted.data).toMatchObject({ mergeable: false, mergeable_state: "dirty", head: { sha: right } });
    const refused = await requestError(octokit.rest.pulls.merge({ ...repo, pull_number: 2 }));
    expect(refused.status).toBe(405);
    expect(refused.message).toContain("not mergeable");

    git(local, "checkout", "-q", "main");
    commitOn(local, "third", "third.txt", "3\n");
    await push(local, cloneUrl, "third");
    await octokit.rest.pulls.create({ ...repo, title: "Third", head: "third", base: "main" });
    expect(await statusOf(octokit.rest.pulls.merge({ ...repo, pull_number: 3, sha: right }))).toBe(409);

    const closed = await octokit.rest.pulls.update({ ...repo, pull_number: 3, state: "closed", title: "Third (abandoned)" });
    expect(closed.data).toMatchObject({ state: "closed", title: "Third (abandoned)", merged: false });
    expect(await statusOf(octokit.rest.pulls.merge({ ...repo, pull_number: 3 }))).toBe(405);
    const draft = await octokit.rest.pulls.create({ ...repo, title: "Third, again", head: "third", base: "main", draft: true });
    expect(draft.data).toMatchObject({ number: 4, draft: true, mergeable_state: "draft" });
    expect(await statusOf(octokit.rest.pulls.merge({ ...repo, pull_number: 4 }))).toBe(405);
    expect((await fake.branches(OWNER, name)).main).toBe(mainAfterFirst);
    expect(fake.merges.filter((merge) => merge.repo === name)).toHaveLength(1);
  });

  it("answers 403 with GitHub's rate-limit headers while limited, and normally again once the reset time passes", async () => {
    const { repo } = await seededRepo();
    const normal = await octokit.rest.repos.get(repo);
    expect(Number(normal.headers["x-ratelimit-remaining"])).toBeGreaterThan(0);
    expect(normal.headers["x-ratelimit-limit"]).toBe("5000");

    const until = fake.rateLimit(Math.floor(Date.now() / 1000) + 2);
    const limited = await requestError(octokit.rest.repos.get(repo));
    expect(limited.status).toBe(403);
    expect(limited.message).toContain("API rate limit exceeded");
    expect(limited.response.headers).toMatchObject({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(until) });

    await new Promise((resolve) => setTimeout(resolve, until * 1000 - Date.now() + 50));
    expect((await octokit.rest.repos.get(repo)).status).toBe(200);
  });

  it("signs webhooks so @octokit/webhooks verifies them, fails a bad signature, and replays a delivery id on request", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo({ autoChecks: [{ name: "test", conclusion: "failure", output: { title: "broken" } }] });
    const head = commitOn(local, "feature", "a.txt", "a\n");
    await push(local, cloneUrl, "feature");
    await octokit.rest.pulls.create({ ...repo, title: "A", head: "feature", base: "main" });
    const [run] = (await octokit.rest.checks.listForRef({ ...repo, ref: head })).data.check_runs;

    const receiver = await startReceiver();
    const { received } = receiver;
    const target = receiver.url;
    try {
      const secret = "webhook-secret";
      const payload = await fake.webhookPayload({ event: "check_run", owner: OWNER, repo: name, checkRunId: run!.id });
      expect(payload).toMatchObject({
        action: "completed",
        repository: { full_name: `${OWNER}/${name}` },
        check_run: { head_sha: head, conclusion: "failure", output: { title: "broken" }, pull_requests: [{ number: 1 }] },
      });

      const delivery = await fake.sendWebhook(target, "check_run", payload, { secret });
      expect(delivery).toMatchObject({ status: 202, body: { ok: true } });
      const webhooks = new Webhooks({ secret });
      const good = received[0]!;
      expect(good.headers).toMatchObject({ "x-github-event": "check_run", "x-github-delivery": delivery.deliveryId, "content-type": "application/json" });
      expect(await webhooks.verify(good.body, String(good.headers["x-hub-signature-256"]))).toBe(true);

      const forged = await fake.sendWebhook(target, "check_run", payload, { secret, badSignature: true, deliveryId: delivery.deliveryId });
      const bad = received[1]!;
      expect(bad.headers["x-hub-signature-256"]).not.toBe(good.headers["x-hub-signature-256"]);
      expect(await webhooks.verify(bad.body, String(bad.headers["x-hub-signature-256"]))).toBe(false);
      expect(forged.deliveryId).toBe(delivery.deliveryId);
      expect(bad.headers["x-github-delivery"]).toBe(delivery.deliveryId);

      const pullPayload = await fake.webhookPayload({ event: "pull_request", owner: OWNER, repo: name, number: 1, action: "synchronize" });
      expect(pullPayload).toMatchObject({ action: "synchronize", number: 1, pull_request: { number: 1, head: { sha: head } }, after: head, sender: { login: fake.viewer } });
      const comment = fake.addIssueComment(OWNER, name, 1, { author: "dana", body: "Why did test fail?" });
      const commentPayload = await fake.webhookPayload({ event: "issue_comment", owner: OWNER, repo: name, number: 1, commentId: comment.id });
      // A receiver tells its own comments from people's by the sender, and PR comments from issue ones by issue.pull_request.
      expect(commentPayload).toMatchObject({ action: "created", sender: { login: "dana" }, issue: { number: 1, pull_request: { url: expect.any(String) } }, comment: { body: "Why did test fail?" } });
    } finally {
      await receiver.close();
    }
  });

  it("answers a wrong token with 401 on the API and on git push, and records calls to endpoints it does not implement", async () => {
    const { local, cloneUrl, repo, name } = await seededRepo();
    const stranger = new Octokit({ auth: "not-the-token", baseUrl: fake.url, log: quiet });
    const denied = await requestError(stranger.rest.repos.get(repo));
    expect(denied.status).toBe(401);
    expect(denied.response.data).toMatchObject({ message: "Bad credentials", documentation_url: expect.stringContaining("docs.github.com") });

    commitOn(local, "sneaky", "x.txt", "x\n");
    const pushed = await push(local, cloneUrl, "sneaky", "not-the-token");
    expect(pushed.code).not.toBe(0);
    expect(pushed.stderr).toMatch(/Authentication failed/);
    expect(Object.keys(await fake.branches(OWNER, name))).toEqual(["main"]);

    expect(await statusOf(octokit.request("GET /repos/{owner}/{repo}/branches", repo))).toBe(404);
    expect(fake.unexpectedRequests()).toContainEqual(expect.objectContaining({ method: "GET", path: `/repos/${OWNER}/${name}/branches`, status: 404 }));
    expect(fake.unexpectedRequests().some((request) => request.path === `/repos/${OWNER}/${name}`)).toBe(false);
  });

  it("is scriptable over its /_fake HTTP routes, as a separate process started by main.ts", async () => {
    const local = localRepo();
    const child = spawn(process.execPath, ["--import", "tsx", "e2e/fake-github/main.ts", "--port", "0", "--token", TOKEN, "--quiet"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString("utf8");
          const match = /ready on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`fake-github exited with ${code}`)));
      });
      const control = async (method: string, route: string, body?: unknown) => {
        const response = await fetch(`${url}/_fake${route}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };

      const created = await control("POST", "/repos", { owner: OWNER, name: "remote", seedFrom: local, autoChecks: [{ name: "ci", conclusion: "success" }] });
      expect(created).toMatchObject({ status: 201, body: { cloneUrl: `${url}/${OWNER}/remote.git` } });
      const head = commitOn(local, "feature", "a.txt", "a\n");
      expect(await push(local, `${url}/${OWNER}/remote.git`, "feature")).toMatchObject({ code: 0 });
      const client = new Octokit({ auth: TOKEN, baseUrl: url, log: quiet });
      await client.rest.pulls.create({ owner: OWNER, repo: "remote", title: "A", head: "feature", base: "main" });

      const check = await control("POST", `/repos/${OWNER}/remote/check-runs`, { ref: "feature", name: "e2e", status: "completed", conclusion: "failure", output: { title: "e2e failed" } });
      expect(check).toMatchObject({ status: 201, body: { head_sha: head, conclusion: "failure" } });
      expect((await client.rest.checks.listForRef({ owner: OWNER, repo: "remote", ref: head })).data.check_runs.map((run) => run.name).sort()).toEqual(["ci", "e2e"]);
      expect((await control("POST", `/repos/${OWNER}/remote/pulls/1/reviews`, { author: "carol", state: "APPROVED" })).status).toBe(201);
      expect((await client.rest.pulls.listReviews({ owner: OWNER, repo: "remote", pull_number: 1 })).data).toMatchObject([{ state: "APPROVED", user: { login: "carol" } }]);
      expect((await control("GET", "/pulls")).body).toMatchObject([{ repo: "remote", number: 1, head: "feature", headSha: head, state: "open" }]);
      expect((await control("POST", `/repos/${OWNER}/remote/check-runs`, { ref: "no-such-branch", name: "x" })).status).toBe(422);
      expect((await control("POST", "/rate-limit", { seconds: 60 })).status).toBe(200);
      expect(await statusOf(client.rest.repos.get({ owner: OWNER, repo: "remote" }))).toBe(403);

      const requests = await fetch(`${url}/_fake/requests?kind=api`).then((response) => response.json() as Promise<{ status: number }[]>);
      expect(requests.map((request) => request.status)).toEqual([201, 200, 200, 403]);

      const receiver = await startReceiver();
      try {
        const build = { event: "pull_request", owner: OWNER, repo: "remote", number: 1, action: "opened" };
        expect((await control("POST", "/webhooks/payload", build)).body).toMatchObject({ action: "opened", pull_request: { head: { sha: head } } });
        const sent = await control("POST", "/webhooks/send", { targetUrl: receiver.url, build, secret: "s3cret", deliveryId: "delivery-1" });
        expect(sent.body).toMatchObject({ status: 202, deliveryId: "delivery-1" });
        const [delivery] = receiver.received;
        expect(delivery!.headers).toMatchObject({ "x-github-event": "pull_request", "x-github-delivery": "delivery-1" });
        expect(await new Webhooks({ secret: "s3cret" }).verify(delivery!.body, String(delivery!.headers["x-hub-signature-256"]))).toBe(true);
      } finally {
        await receiver.close();
      }
    } finally {
      child.kill("SIGTERM");
    }
    const exitCode = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));
    expect(exitCode).toBe(0);
  });
});
