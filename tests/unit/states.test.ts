import { describe, expect, it } from "vitest";
import { FINAL_RUN_STATUSES, RUN_STATUSES } from "../../lib/runs/status";
import { canMoveRun, RUN_TRANSITIONS } from "../../lib/runs/transitions";
import { BOARD_COLUMNS, boardColumn, isStruckThrough, TASK_STATUSES } from "../../lib/tasks/status";
import { TASK_TRANSITIONS } from "../../lib/tasks/transitions";

describe("run transitions", () => {
  it("follow the state machine of DESIGN.md §3", () => {
    const path = ["reviewing", "needs_input", "reviewing", "planning", "awaiting_approval", "planning", "awaiting_approval", "running", "paused", "running", "completed"] as const;
    for (let i = 1; i < path.length; i++) expect(canMoveRun(path[i - 1]!, path[i]!), `${path[i - 1]} → ${path[i]}`).toBe(true);
  });

  it("let every non-final state be cancelled or failed, and nothing leave a final state", () => {
    for (const from of RUN_STATUSES) {
      const final = (FINAL_RUN_STATUSES as readonly string[]).includes(from);
      expect(canMoveRun(from, "cancelled")).toBe(!final);
      expect(canMoveRun(from, "failed")).toBe(!final);
      if (final) for (const to of RUN_STATUSES) expect(canMoveRun(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it("refuse shortcuts such as reviewing → running", () => {
    expect(canMoveRun("reviewing", "running")).toBe(false);
    expect(canMoveRun("needs_input", "planning")).toBe(false);
    expect(canMoveRun("paused", "completed")).toBe(false);
  });

  it("name only known states", () => {
    for (const froms of Object.values(RUN_TRANSITIONS)) for (const from of froms) expect(RUN_STATUSES).toContain(from);
    for (const froms of Object.values(TASK_TRANSITIONS)) for (const from of froms) expect(TASK_STATUSES).toContain(from);
  });
});

describe("board columns (contract)", () => {
  it("map every task status as DESIGN.md §3 says", () => {
    expect(Object.fromEntries(TASK_STATUSES.map((s) => [s, boardColumn(s)]))).toEqual({
      waiting: "Waiting",
      ready: "Running",
      running: "Running",
      verifying: "Verifying",
      needs_review: "Needs review",
      blocked: "Blocked",
      done: "Done",
      failed: "Done",
      cancelled: "Done",
    });
    expect(BOARD_COLUMNS).toEqual(["Waiting", "Running", "Verifying", "Needs review", "Blocked", "Done"]);
  });

  it("strike through failed and cancelled cards only", () => {
    expect(TASK_STATUSES.filter(isStruckThrough)).toEqual(["failed", "cancelled"]);
  });
});
