import { describe, expect, it } from "vitest";
import { compareReport, normalizeCommand, type VerificationFacts, type VerifiedCommand } from "../../lib/reports/compare-report";
import type { WorkerReport } from "../../lib/reports/worker-report";

const report = (over: Partial<WorkerReport> = {}): WorkerReport => ({
  status: "done",
  summary: "Fixed the greeting.",
  filesChanged: ["greeting.txt"],
  verification: [{ command: "sh test.sh", result: "ok", passed: true }],
  handoff: { branch: null, prUrl: null, artifact: null },
  openIssues: [],
  recommendedNextAction: "merge",
  ...over,
});

const ran = (command: string, exitCode: number | null, over: Partial<VerifiedCommand> = {}): VerifiedCommand => ({
  command,
  source: "task",
  exitCode,
  timedOut: false,
  outputTail: "",
  ...over,
});

const verification = (over: Partial<VerificationFacts> = {}): VerificationFacts => ({
  status: "passed",
  changedFiles: ["greeting.txt"],
  outOfScope: [],
  commands: [ran("sh test.sh", 0)],
  ...over,
});

describe("compareReport", () => {
  it("finds no disagreement when Foreman confirms every claim", () => {
    const result = compareReport(report(), verification());
    expect(result.disagreements).toEqual([]);
    expect(result.status).toEqual({ claimed: "done", verified: "passed", agree: true });
    expect(result.commands).toEqual([
      { command: "sh test.sh", claimed: { passed: true, result: "ok" }, foreman: ran("sh test.sh", 0), agreement: "agree" },
    ]);
    expect(result.files).toEqual([{ path: "greeting.txt", claimed: true, changed: true, outOfScope: false }]);
  });

  it("flags a worker that claims a command passed which Foreman saw fail, and files it never changed", () => {
    const result = compareReport(report(), verification({ status: "failed", changedFiles: [], commands: [ran("sh  test.sh ", 1)] }));
    expect(result.status.agree).toBe(false);
    expect(result.commands[0]!.agreement).toBe("disagree");
    expect(result.disagreements.map((d) => d.subject)).toEqual(["status", "command", "file"]);
    expect(result.disagreements[1]!.text).toBe("The worker says `sh test.sh` passed; Foreman ran it and saw exit 1.");
    expect(result.disagreements[2]!.text).toContain("Claimed as changed but unchanged on the branch: greeting.txt");
    expect(result.files).toEqual([{ path: "greeting.txt", claimed: true, changed: false, outOfScope: false }]);
  });

  it("says a timed-out command timed out", () => {
    const result = compareReport(report(), verification({ status: "failed", commands: [ran("sh test.sh", null, { timedOut: true })] }));
    expect(result.disagreements.find((d) => d.subject === "command")?.text).toContain("saw it timed out");
  });

  it("keeps commands only one side ran apart from disagreements", () => {
    const result = compareReport(
      report({ verification: [{ command: "npm run lint", result: "clean", passed: true }] }),
      verification({ commands: [ran("sh test.sh", 0), ran("npm test", 0, { source: "repository" })] }),
    );
    expect(result.commands.map((c) => [c.command, c.agreement])).toEqual([
      ["npm run lint", "unverified"],
      ["sh test.sh", "foreman_only"],
      ["npm test", "foreman_only"],
    ]);
    expect(result.disagreements).toEqual([]);
  });

  it("reports changed files missing from the report and marks out-of-scope ones", () => {
    const result = compareReport(
      report({ filesChanged: ["./greeting.txt"] }),
      verification({ changedFiles: ["docs/notes.md", "greeting.txt"], outOfScope: ["docs/notes.md"] }),
    );
    expect(result.files).toEqual([
      { path: "docs/notes.md", claimed: false, changed: true, outOfScope: true },
      { path: "greeting.txt", claimed: true, changed: true, outOfScope: false },
    ]);
    expect(result.disagreements).toEqual([{ subject: "file", text: "Changed on the branch but not in the worker's report: docs/notes.md." }]);
  });

  it("a worker that admits a failure Foreman does not see is a disagreement too", () => {
    const result = compareReport(report({ status: "blocked", verification: [{ command: "sh test.sh", result: "FAIL", passed: false }] }), verification());
    expect(result.status.agree).toBe(true);
    expect(result.disagreements).toEqual([{ subject: "command", text: "The worker says `sh test.sh` failed; Foreman ran it and it passed." }]);
  });

  it("judges nothing while Foreman's verification is still running", () => {
    const result = compareReport(report(), verification({ status: "running", changedFiles: [], commands: [] }));
    expect(result.disagreements).toEqual([]);
    expect(result.commands[0]!.agreement).toBe("unverified");
  });

  it("normalizes whitespace in commands", () => {
    expect(normalizeCommand("  npm   test\n")).toBe("npm test");
  });
});
