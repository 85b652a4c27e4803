import { describe, expect, it } from "vitest";
import { describeEvent } from "../../lib/events/describe";
import { describeModelAnswer, humanizeError, readable } from "../../lib/shared/humanize";

describe("people read sentences, not JSON", () => {
  it("a worker's report reads as its status and summary", () => {
    const report = JSON.stringify({ status: "done", summary: "Changed greeting.txt.", filesChanged: ["greeting.txt"], verification: [], handoff: null, openIssues: [] });
    expect(describeModelAnswer(report)).toBe("Reported done: Changed greeting.txt.");
    expect(describeEvent({ type: "agent.message", payload: { type: "agent.message", attempt: 1, text: report } }).text).toBe("Worker: Reported done: Changed greeting.txt.");
  });

  it("the manager's review, plan and summary read as sentences; free text is kept", () => {
    expect(describeModelAnswer(JSON.stringify({ verdict: "needs_input", summary: "Fix it.", risks: [], questions: [{ id: "q1" }] }))).toBe("Reviewed the scope: 1 question(s) for you. Fix it.");
    expect(describeModelAnswer(JSON.stringify({ tasks: [{ key: "T1", title: "Fix" }, { key: "T2", title: "Docs" }], heartbeatPlan: "" }))).toBe("Proposed a plan of 2 task(s): T1 Fix · T2 Docs");
    expect(describeModelAnswer(JSON.stringify({ summary: "All done.", verification: "ok", openIssues: [], nextActions: [] }))).toBe("Wrote the run summary: All done.");
    expect(describeModelAnswer("Looking at the repository.")).toBe("Looking at the repository.");
  });

  it("an error carrying a service's JSON body reads as the body's message", () => {
    expect(humanizeError('unexpected status 429 Too Many Requests: {"error":{"type":"rate_limit_exceeded","message":"slow down"}}')).toBe(
      "unexpected status 429 Too Many Requests: slow down",
    );
    expect(humanizeError('{"error":{"type":"scripted_model_error","message":"scripted model: no scenario matches the prompt \\"x\\""}}')).toMatch(/^The demo's scripted model has no answer/);
    expect(humanizeError("exit 1")).toBe("exit 1");
  });

  it("a stored reason never shows a user's id", () => {
    expect(readable("paused by user tQAvoi1IabcdEFGH")).toBe("paused by a person");
  });
});
