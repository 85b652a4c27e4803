import { describe, expect, it } from "vitest";
import { eventPayloads, parseEventPayload } from "../../lib/events/types";
import { describeEvent } from "../../lib/events/describe";
import { createRepositoryInput } from "../../lib/repositories/schema";
import { createRunInput, MAX_SCOPE_BYTES, titleFromScope } from "../../lib/runs/schema";
import { defaultRunSettings } from "../../lib/runs/settings";

const repositoryId = "7f1c8a2e-0b5d-4c6e-9f3a-1d2e3f4a5b6c";

describe("createRunInput", () => {
  it("accepts a pasted markdown scope", () => {
    expect(createRunInput.parse({ repositoryId, scope: "# Plan\n- [ ] fix login" })).toMatchObject({ repositoryId });
  });

  it("refuses an empty or whitespace-only scope with advice", () => {
    const result = createRunInput.safeParse({ repositoryId, scope: "  \n " });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^is empty: paste/);
  });

  it("refuses a scope over 200 KB, counted in bytes", () => {
    const justUnder = "é".repeat(MAX_SCOPE_BYTES / 2);
    expect(createRunInput.safeParse({ repositoryId, scope: justUnder }).success).toBe(true);
    const over = createRunInput.safeParse({ repositoryId, scope: `${justUnder}x` });
    expect(over.error?.issues[0]?.message).toMatch(/over 200 KB/);
  });

  it("refuses unknown fields and unknown settings", () => {
    expect(createRunInput.safeParse({ repositoryId, scope: "x", extra: 1 }).success).toBe(false);
    expect(createRunInput.safeParse({ repositoryId, scope: "x", settings: { turbo: true } }).success).toBe(false);
    expect(createRunInput.safeParse({ repositoryId, scope: "x", settings: { concurrency: 0 } }).success).toBe(false);
  });
});

describe("titleFromScope", () => {
  it("takes the first meaningful line without markdown markers", () => {
    expect(titleFromScope("\n\n## Fix the login redirect\nmore")).toBe("Fix the login redirect");
    expect(titleFromScope("- [ ] 1. Add tests")).toBe("Add tests");
  });

  it("shortens long lines", () => {
    const title = titleFromScope("a".repeat(300));
    expect(title).toHaveLength(80);
    expect(title.endsWith("…")).toBe(true);
  });
});

describe("run settings", () => {
  it("default to the design's values", () => {
    expect(defaultRunSettings()).toMatchObject({ concurrency: 4, heartbeatIntervalMinutes: 10, autoApprovePlan: false, followUpCap: 2 });
  });
});

describe("createRepositoryInput", () => {
  it("wants exactly one of path and url", () => {
    expect(createRepositoryInput.safeParse({ name: "a" }).success).toBe(false);
    expect(createRepositoryInput.safeParse({ name: "a", path: "/x", url: "https://example.com/a.git" }).success).toBe(false);
    expect(createRepositoryInput.safeParse({ name: "a", path: "/x" }).success).toBe(true);
  });

  it("refuses branch names git would refuse or that look like options", () => {
    expect(createRepositoryInput.safeParse({ name: "a", path: "/x", baseBranch: "--force" }).success).toBe(false);
    expect(createRepositoryInput.safeParse({ name: "a", path: "/x", baseBranch: "a..b" }).success).toBe(false);
  });
});

describe("events", () => {
  it("describe every known type as plain text", () => {
    const samples = [
      { type: "run.created", payload: { title: "T", createdBy: null } },
      { type: "run.status_changed", payload: { from: "reviewing", to: "needs_input", reason: "questions" } },
      { type: "run.picked_up", payload: { queue: "run.review", runnerId: "r1" } },
      { type: "run.note", payload: { level: "warning", message: "careful" } },
      { type: "task.status_changed", payload: { from: "waiting", to: "ready", reason: null } },
      { type: "heartbeat.completed", payload: { heartbeatId: repositoryId, trigger: "manual", summary: "ok", decisions: 0 } },
      { type: "manager.decision", payload: { heartbeatId: repositoryId, kind: "follow_up", taskKey: "T2", outcome: "applied", text: "Follow-up on T2: add the missing migration." } },
      { type: "review.completed", payload: { verdict: "needs_input", questions: 2, highRisks: 1, tooBroad: false } },
      { type: "question.asked", payload: { questionId: repositoryId, text: "Which DB?" } },
      { type: "question.answered", payload: { questionId: repositoryId, by: null } },
      { type: "plan.proposed", payload: { tasks: 3, version: 1, problems: [] } },
      { type: "plan.edited", payload: { tasks: 2, version: 2, by: "u" } },
      { type: "plan.approved", payload: { version: 2, by: "u" } },
      { type: "plan.replan_requested", payload: { comment: "smaller", by: "u" } },
      { type: "task.held", payload: { key: "T2", reason: "waits for T1" } },
      { type: "run.summary", payload: { summary: "All done." } },
      { type: "agent.thread_started", payload: { attempt: 1, threadId: "th_1", resumed: false } },
      { type: "agent.turn_started", payload: { attempt: 1, turn: 1, purpose: "work" } },
      { type: "agent.command_started", payload: { attempt: 1, itemId: "item_1", command: "npm test" } },
      { type: "agent.command_finished", payload: { attempt: 1, itemId: "item_1", command: "npm test", exitCode: 1, status: "failed", outputTail: "1 failed" } },
      { type: "agent.file_changed", payload: { attempt: 1, itemId: "item_2", status: "completed", changes: [{ path: "src/a.ts", kind: "update" }] } },
      { type: "agent.todo_list", payload: { attempt: 1, items: [{ text: "read", completed: true }, { text: "fix", completed: false }] } },
      { type: "agent.reasoning", payload: { attempt: 1, text: "**Looking** at the tests" } },
      { type: "agent.message", payload: { attempt: 1, text: "{\"status\":\"done\"}" } },
      { type: "agent.tool_call", payload: { attempt: 1, tool: "web_search", status: "completed" } },
      { type: "agent.error", payload: { attempt: 1, message: "Reconnecting... 1/2", fatal: false } },
      {
        type: "agent.turn_completed",
        payload: {
          attempt: 1,
          turn: 1,
          threadId: "th_1",
          usage: { input: 10, cachedInput: 2, output: 3, reasoningOutput: 1 },
          cumulative: { input: 10, cachedInput: 2, output: 3, reasoningOutput: 1 },
        },
      },
      { type: "agent.turn_failed", payload: { attempt: 1, turn: 1, message: "stream disconnected" } },
      { type: "agent.turn_interrupted", payload: { attempt: 1, turn: 1, reason: "deadline", message: "no answer in 30 s" } },
      { type: "attempt.status_changed", payload: { attempt: 1, from: "running", to: "interrupted", reason: "paused" } },
      { type: "task.worktree_ready", payload: { branch: "foreman/abc/T1", baseBranch: "main", startSha: "a".repeat(40), merged: [], reused: false } },
      { type: "task.setup_finished", payload: { exitCode: 0, timedOut: false, durationMs: 1200, outputTail: "ok", artifacts: ["node_modules/"] } },
      { type: "task.committed", payload: { attempt: 1, turn: 1, sha: "b".repeat(40), files: 1, insertions: 2, deletions: 0, stat: " a | 2 ++" } },
      { type: "task.report", payload: { attempt: 1, valid: false, status: null, summary: null, error: "not JSON" } },
      { type: "task.out_of_scope", payload: { files: ["docs/x.md"], scope: ["src/**"] } },
      { type: "task.escape_refused", payload: { attempt: 1, action: "write", target: "/etc/passwd", detail: "The sandbox refused: sh: 1: cannot create /etc/passwd: Read-only file system" } },
      {
        type: "task.verification_finished",
        payload: {
          attempt: 1,
          verificationId: repositoryId,
          passed: false,
          summary: "1 of 2 commands failed",
          commands: [{ command: "npm test", source: "repository", exitCode: 1, timedOut: false }],
        },
      },
      { type: "task.follow_up", payload: { attempt: 1, number: 1, cap: 2, reason: "npm test failed" } },
      {
        type: "task.checks_weakened",
        payload: { attempt: 1, verificationId: repositoryId, findings: [{ file: "tests/a.test.js", kind: "skip_marker", line: 5, text: "added a skip marker: test.skip(" }] },
      },
      { type: "task.claims_disputed", payload: { attempt: 1, verificationId: repositoryId, disagreements: [{ subject: "file", text: "Claimed as changed but unchanged on the branch: README.md." }] } },
      { type: "task.manager_review", payload: { attempt: 1, verdict: "revise", summary: "Cites a missing file.", unsupportedClaims: 1, editorialIssues: 0 } },
      { type: "task.pushed", payload: { attempt: 1, branch: "foreman/abc/T1", sha: "c".repeat(40), remote: "acme/app" } },
      {
        type: "task.pull_request",
        payload: { change: "opened", number: 7, url: "https://github.com/acme/app/pull/7", state: "open", draft: true, ciState: "pending", reviewState: null, headSha: "c".repeat(40) },
      },
      { type: "task.ci_changed", payload: { number: 7, headSha: "c".repeat(40), from: "pending", to: "failure", failing: [{ name: "test", summary: "1 failed" }] } },
      {
        type: "task.review_feedback",
        payload: { number: 7, commentId: repositoryId, kind: "review_comment", author: "octocat", category: "unclear", action: "question", excerpt: "why?" },
      },
      { type: "task.replied", payload: { number: 7, commentId: repositoryId, excerpt: "Because…" } },
      { type: "task.accepted", payload: { by: "u" } },
      { type: "task.rejected", payload: { by: "u", reason: "wrong file" } },
      { type: "task.merged", payload: { via: "local", into: "main", sha: "d".repeat(40), number: null, fastForward: true, by: "u" } },
      { type: "task.merge_conflict", payload: { via: "local", into: "main", files: ["src/a.ts"] } },
      { type: "github.rate_limited", payload: { repository: "acme/app", until: "2026-11-23T23:00:00.000Z" } },
      { type: "github.webhook", payload: { event: "check_run", action: "completed", deliveryId: "d-1" } },
    ];
    expect(samples.map((s) => s.type).sort()).toEqual(eventPayloads.options.map((o) => o.shape.type.value).sort());
    for (const sample of samples) {
      expect(parseEventPayload(sample), sample.type).not.toBeNull();
      expect(describeEvent(sample).text.length).toBeGreaterThan(0);
    }
    expect(describeEvent({ type: "run.note", payload: { level: "error", message: "<b>x</b>" } })).toEqual({ text: "<b>x</b>", tone: "danger" });
  });

  it("fall back to the type name for unknown or malformed events", () => {
    expect(describeEvent({ type: "future.thing", payload: {} })).toEqual({ text: "future.thing", tone: "neutral" });
    expect(describeEvent({ type: "run.note", payload: { level: "loud" } })).toEqual({ text: "run.note", tone: "neutral" });
  });
});
