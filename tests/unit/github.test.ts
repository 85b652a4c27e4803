import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { routeFor } from "../../lib/github/comment-triage";
import { foldCi, foldReviews } from "../../lib/github/fold-ci";
import { pullRequestBody } from "../../lib/github/pull-request-body";
import { mergeDecision } from "../../lib/tasks/merge-decision";
import { webUrlOf } from "../../worker-runner/github/client";
import { rateLimitedUntil } from "../../worker-runner/github/rate-limit";
import { triageFromPrompt } from "../../e2e/scripted-model/output-items";

const run = (name: string, status: string, conclusion: string | null, text = "") => ({ name, status, conclusion, html_url: null, output: { title: null, summary: text, text: null } });

describe("CI folding", () => {
  it("folds check runs and commit statuses into one state per head", () => {
    expect(foldCi([], []).state).toBe("none");
    expect(foldCi([run("test", "completed", "success")], [{ context: "lint", state: "success" }]).state).toBe("success");
    expect(foldCi([run("test", "in_progress", null)], [{ context: "lint", state: "success" }]).state).toBe("pending");
    expect(foldCi([run("test", "completed", "success")], [{ context: "lint", state: "pending" }]).state).toBe("pending");
    expect(foldCi([run("test", "in_progress", null)], [{ context: "lint", state: "error" }]).state).toBe("failure");
    expect(foldCi([run("test", "completed", "timed_out")], []).state).toBe("failure");
    expect(foldCi([run("test", "completed", "skipped"), run("build", "completed", "neutral")], []).state).toBe("success");
  });

  it("keeps the newest run of a re-run check and caps its output", () => {
    const folded = foldCi([run("test", "completed", "success"), run("test", "completed", "failure", "old failure")], []);
    expect(folded.state).toBe("success");
    expect(folded.checks).toHaveLength(1);
    expect(foldCi([run("test", "completed", "failure", "x".repeat(10_000))], []).checks[0]!.output!.length).toBeLessThanOrEqual(4000);
  });

  it("takes each reviewer's latest decision; changes requested win", () => {
    const user = (login: string) => ({ login });
    expect(foldReviews([])).toBeNull();
    expect(foldReviews([{ user: user("a"), state: "COMMENTED" }])).toBeNull();
    expect(foldReviews([{ user: user("a"), state: "APPROVED" }])).toBe("APPROVED");
    expect(foldReviews([{ user: user("a"), state: "CHANGES_REQUESTED" }, { user: user("a"), state: "APPROVED" }])).toBe("APPROVED");
    expect(foldReviews([{ user: user("a"), state: "APPROVED" }, { user: user("b"), state: "CHANGES_REQUESTED" }])).toBe("CHANGES_REQUESTED");
  });
});

describe("merge rule", () => {
  const pr: { state: "open"; draft: boolean; ciState: "success"; reviewState: string | null; number: number; mergeable: boolean } = { state: "open", draft: false, ciState: "success", reviewState: "APPROVED", number: 4, mergeable: true };
  it("merges only an open, ready, green PR of a task in review that is approved or allowed", () => {
    expect(mergeDecision({ taskStatus: "needs_review", pr, mergeWithoutApproval: false })).toEqual({ allowed: true });
    expect(mergeDecision({ taskStatus: "needs_review", pr: { ...pr, reviewState: null }, mergeWithoutApproval: true })).toEqual({ allowed: true });
    const refused = (over: Partial<typeof pr>, status = "needs_review") => {
      const decision = mergeDecision({ taskStatus: status, pr: { ...pr, ...over }, mergeWithoutApproval: false });
      return decision.allowed ? "allowed" : decision.reason;
    };
    expect(refused({ reviewState: null })).toMatch(/no approving review/);
    expect(refused({ reviewState: "CHANGES_REQUESTED" })).toMatch(/changes were requested/);
    expect(refused({ ciState: "pending" as never })).toMatch(/CI .* is pending/);
    expect(refused({ draft: true })).toMatch(/draft/);
    expect(refused({ state: "merged" as never })).toMatch(/is merged/);
    expect(refused({}, "verifying")).toMatch(/only a task in review/);
  });
});

describe("PR body", () => {
  it("carries the verification results and defuses mentions and HTML from model text", () => {
    const body = pullRequestBody({
      task: { key: "T1", title: "Fix", goal: "Make it say hello" },
      report: {
        status: "done",
        summary: "Done. cc @octocat <img src=x onerror=alert(1)>",
        filesChanged: ["a.txt"],
        verification: [{ command: "sh test.sh", result: "ok", passed: true }],
        handoff: { branch: null, prUrl: null, artifact: null },
        openIssues: [],
        recommendedNextAction: "merge",
      },
      verification: {
        summary: "2 of 2 commands passed",
        changedFiles: ["a.txt"],
        outOfScope: [],
        commands: [{ command: "sh test.sh", source: "task", exitCode: 0, timedOut: false, durationMs: 1200, outputTail: "ok" }],
      },
      runUrl: "http://127.0.0.1:3000/runs/abc",
    });
    expect(body).toContain("✅ `sh test.sh` (task) → exit 0");
    expect(body).toContain("2 of 2 commands passed");
    expect(body).toContain("- `a.txt`");
    expect(body).toContain("(http://127.0.0.1:3000/runs/abc)");
    expect(body).not.toContain("@octocat");
    expect(body).not.toContain("<img");
  });
});

describe("PR body: claims against truth", () => {
  it("names the worker's claims Foreman disputes and the start-version checks, and has no such section when there is none", () => {
    const input = {
      task: { key: "T1", title: "Fix", goal: "Make it say hello" },
      report: null,
      verification: {
        summary: "1 command(s) passed",
        changedFiles: ["greeting.txt"],
        outOfScope: [],
        commands: [{ command: "sh test.sh", source: "task" as const, exitCode: 0, timedOut: false, durationMs: 100, outputTail: "ok" }],
        startChecks: [{ command: "sh test.sh", source: "task" as const, exitCode: 0, timedOut: false, durationMs: 100, outputTail: "ok" }],
      },
      runUrl: "http://127.0.0.1:3000/runs/abc",
    };
    const body = pullRequestBody({ ...input, disputes: [{ subject: "file", text: "Claimed as changed but unchanged on the branch: README.md @octocat." }] });
    expect(body).toContain("## Claims Foreman disputes\nThe worker's report says otherwise than Foreman's own record:\n- Claimed as changed but unchanged on the branch: README.md @\u200boctocat.");
    expect(body).toContain("The checks as they were at the task's start, against this code:\n- ✅ `sh test.sh` → exit 0");
    expect(pullRequestBody(input)).not.toContain("Claims Foreman disputes");
  });
});

describe("GitHub plumbing", () => {
  it("derives the git/web base from the API base", () => {
    expect(webUrlOf("https://api.github.com")).toBe("https://github.com");
    expect(webUrlOf("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com");
    expect(webUrlOf("http://127.0.0.1:4010")).toBe("http://127.0.0.1:4010");
  });

  it("reads rate-limit answers as a time to resume, and nothing else as one", () => {
    const error = (status: number, headers: Record<string, string>) =>
      new RequestError("limited", status, { request: { method: "GET", url: "https://x/y", headers: {} }, response: { status, url: "https://x/y", headers, data: {} } });
    const now = 1_700_000_000_000;
    expect(rateLimitedUntil(error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 120) }), now)?.getTime()).toBe(now + 120_000);
    expect(rateLimitedUntil(error(429, { "retry-after": "30" }), now)?.getTime()).toBe(now + 30_000);
    expect(rateLimitedUntil(error(403, { "x-ratelimit-remaining": "12" }), now)).toBeNull();
    expect(rateLimitedUntil(error(404, {}), now)).toBeNull();
    expect(rateLimitedUntil(new Error("x"), now)).toBeNull();
  });

  it("routes triage categories as DESIGN.md §4.9 says", () => {
    expect(["bug", "style", "test_request", "documentation"].map((c) => routeFor(c as never))).toEqual(["follow_up", "follow_up", "follow_up", "follow_up"]);
    expect(routeFor("architecture")).toBe("approval");
    expect(routeFor("unclear")).toBe("question");
  });

  it("the scripted triage reads each comment's marker", () => {
    const triage = triageFromPrompt("intro\ncommentId: a1\nfrom: x\n<<<C\n[category:bug] broken\nC>>>\n\ncommentId: b2\nfrom: y\nwhat?\n");
    expect(triage.items.map((item) => [item.commentId, item.category, item.followUpGoal !== null])).toEqual([
      ["a1", "bug", true],
      ["b2", "unclear", false],
    ]);
  });
});
