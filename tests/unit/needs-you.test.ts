import { describe, expect, it } from "vitest";
import { needsYou, titleWithCount } from "../../lib/runs/needs-you";

const counts = { openQuestions: 0, pendingApprovals: 0, blockedTasks: 0, reviewTasks: 0 };

describe("what a run needs from a person", () => {
  it("a running run with a blocked task needs you, urgently", () => {
    expect(needsYou({ ...counts, status: "running", blockedTasks: 1, reviewTasks: 1 })).toEqual({
      count: 2,
      reasons: ["1 blocked task", "1 task to review"],
      tone: "urgent",
    });
  });

  it("a question or the plan's approval waits for you even before its row is read", () => {
    expect(needsYou({ ...counts, status: "needs_input" })).toMatchObject({ count: 1, reasons: ["1 question to answer"], tone: "waiting" });
    expect(needsYou({ ...counts, status: "awaiting_approval", pendingApprovals: 1 })).toMatchObject({ count: 1, reasons: ["1 approval to decide"] });
  });

  it("a running run with nothing for you, and a finished run, need nothing", () => {
    expect(needsYou({ ...counts, status: "running" }).count).toBe(0);
    expect(needsYou({ ...counts, status: "completed", blockedTasks: 1 }).count).toBe(0);
  });

  it("the tab title leads with the count", () => {
    expect(titleWithCount("Runs · Foreman", 3)).toBe("(3) Runs · Foreman");
    expect(titleWithCount("Runs · Foreman", 0)).toBe("Runs · Foreman");
  });
});
