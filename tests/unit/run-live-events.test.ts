import { describe, expect, it } from "vitest";
import { applyStatusMoves, type StatusMove } from "../../components/run/apply-status-moves";
import { EVENT_EFFECTS } from "../../components/run/event-effects";
import { eventPayloads } from "../../lib/events/types";
import { isLaterTaskPosition } from "../../lib/tasks/status";

const task = (status: "running" | "needs_review" | "blocked" | "verifying", currentAttempt: number) => ({ id: "t1", status, currentAttempt, statusChangedAt: "2026-01-01T00:00:00.000Z" });
const move = (from: StatusMove["payload"]["from"], to: StatusMove["payload"]["to"], attempt: number | undefined, seq: number): StatusMove => ({
  taskId: "t1",
  seq,
  at: `2026-01-01T00:00:${String(seq).padStart(2, "0")}.000Z`,
  payload: { type: "task.status_changed", from, to, reason: null, ...(attempt === undefined ? {} : { attempt }) },
});

describe("the browser's event table", () => {
  it("decides every event type the server can send, and no other", () => {
    const types = eventPayloads.options.map((option) => option.shape.type.value).sort();
    expect(Object.keys(EVENT_EFFECTS).sort()).toEqual(types);
  });
});

describe("a card moves only forward in (attempt, rank)", () => {
  it("a follow-up's move from needs review back to running applies at once under its higher attempt", () => {
    const [moved] = applyStatusMoves([task("needs_review", 1)], [move("needs_review", "running", 2, 5)]);
    expect(moved).toMatchObject({ status: "running", currentAttempt: 2, statusChangedAt: "2026-01-01T00:00:05.000Z" });
  });

  it("a late event of the same attempt never moves a card back", () => {
    const before = task("needs_review", 1);
    const [kept] = applyStatusMoves([before], [move("running", "verifying", 1, 3)]);
    expect(kept).toBe(before);
  });

  it("an event of an older attempt never moves a card, whatever its rank", () => {
    const before = task("running", 2);
    expect(applyStatusMoves([before], [move("verifying", "needs_review", 1, 4)])[0]).toBe(before);
  });

  it("an event without an attempt (older rows) compares by rank within the card's attempt", () => {
    expect(applyStatusMoves([task("running", 1)], [move("running", "verifying", undefined, 2)])[0]).toMatchObject({ status: "verifying", currentAttempt: 1 });
    expect(applyStatusMoves([task("blocked", 1)], [move("blocked", "running", undefined, 2)])[0]!.status).toBe("blocked");
  });

  it("moves of one batch apply in order", () => {
    const [moved] = applyStatusMoves([task("running", 1)], [move("running", "verifying", 1, 2), move("verifying", "needs_review", 1, 3), move("needs_review", "running", 2, 4)]);
    expect(moved).toMatchObject({ status: "running", currentAttempt: 2 });
  });

  it("ranks blocked and needs review alike within an attempt", () => {
    expect(isLaterTaskPosition({ attempt: 1, status: "blocked" }, { attempt: 1, status: "needs_review" })).toBe(false);
    expect(isLaterTaskPosition({ attempt: 2, status: "ready" }, { attempt: 1, status: "blocked" })).toBe(true);
  });
});
