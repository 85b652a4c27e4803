import { describe, expect, it } from "vitest";
import { manualChecklist } from "../../lib/tasks/manual-checklist";
import { pullRequestLine, reviewLabel } from "../../components/board/handoff-labels";
import { safeHref } from "../../components/board/task-handoff";
import { describeValue, humanizeKey } from "../../components/run/heartbeat-timeline";
import { describeHeartbeatDecision } from "../../lib/events/describe";
import type { ClientTask } from "../../components/run/snapshot";
import { formatSpan, layoutTimeline } from "../../components/run/worker-timeline";

const pr = { number: 12, state: "open" as const, draft: false, ciState: "success" as const, reviewState: "approved" };

describe("pull request line on a card", () => {
  it("reads number, CI and review", () => {
    expect(pullRequestLine(pr)).toBe("#12 · CI passing · approved");
    expect(pullRequestLine({ ...pr, ciState: "failure", reviewState: "CHANGES_REQUESTED" })).toBe("#12 · CI failing · changes requested");
    expect(pullRequestLine({ ...pr, ciState: "pending", reviewState: null, draft: true })).toBe("#12 · draft · CI pending");
    expect(pullRequestLine({ ...pr, ciState: "none", reviewState: null })).toBe("#12");
  });

  it("says merged or closed once the pull request is no longer open", () => {
    expect(pullRequestLine({ ...pr, state: "merged" })).toBe("#12 · merged");
    expect(pullRequestLine({ ...pr, state: "closed" })).toBe("#12 · closed");
  });

  it("keeps unknown review states as words", () => {
    expect(reviewLabel("review_required")).toBe("review pending");
    expect(reviewLabel("commented")).toBe("commented");
    expect(reviewLabel(null)).toBeNull();
  });
});

describe("links from stored data", () => {
  it("become anchors only for http(s)", () => {
    expect(safeHref("https://github.com/acme/widgets/pull/12")).toBe("https://github.com/acme/widgets/pull/12");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("data:text/html,hi")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});

describe("heartbeat observations as text", () => {
  const keys = new Map([["00000000-0000-4000-8000-000000000001", "T1"]]);
  it("names keys in words and task ids by their keys", () => {
    expect(humanizeKey("tasksByStatus")).toBe("Tasks by status");
    expect(humanizeKey("stalled_attempts")).toBe("Stalled attempts");
    expect(describeValue({ running: 2, needs_review: 1 }, keys)).toBe("running: 2, needs_review: 1");
    expect(describeValue([{ taskId: "00000000-0000-4000-8000-000000000001", lastActivityAt: "x" }], keys)).toBe("taskId: T1, lastActivityAt: x");
    expect(describeValue([], keys)).toBe("none");
    expect(describeValue(null, keys)).toBe("—");
    expect(describeValue("<img src=x onerror=alert(1)>", keys)).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("worker timeline layout", () => {
  const task = (key: string, attempts: Partial<ClientTask["attempts"][number]>[]) =>
    ({
      id: `id-${key}`,
      key,
      title: key,
      attempts: attempts.map((attempt, index) => ({ number: index + 1, status: "completed", startedAt: "", endedAt: null, ...attempt })),
    }) as unknown as ClientTask;
  const t = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + seconds * 1000).toISOString();

  it("places each attempt on one axis from the first start to the last end or now", () => {
    const layout = layoutTimeline(
      [
        task("T1", [{ startedAt: t(0), endedAt: t(60), status: "failed" }, { startedAt: t(60), endedAt: t(120) }]),
        task("T2", [{ startedAt: t(30), endedAt: null, status: "running" }]),
        task("T3", []),
      ],
      new Date(t(240)),
    )!;
    expect(layout.span).toBe(240_000);
    expect(layout.rows.map((row) => row.key)).toEqual(["T1", "T2"]);
    const [first, second] = layout.rows[0]!.bars;
    expect([first!.left, first!.width, second!.left, second!.width]).toEqual([0, 25, 25, 25]);
    const running = layout.rows[1]!.bars[0]!;
    expect([running.left, running.width]).toEqual([12.5, 87.5]);
    expect(running.label).toBe("T2 attempt 1: running, from +30 s, still open after 3 min 30 s");
    expect(first!.label).toBe("T1 attempt 1: failed, from +0 s, took 1 min");
    expect(layout.ticks.map((tick) => tick.label)).toEqual(["0", "+1 min", "+2 min", "+3 min", "+4 min"]);
  });

  it("is empty without attempts and at least a minute wide with them", () => {
    expect(layoutTimeline([task("T1", [])], new Date())).toBeNull();
    const short = layoutTimeline([task("T1", [{ startedAt: t(0), endedAt: t(2) }])], new Date(t(5)))!;
    expect(short.span).toBe(60_000);
  });

  it("formats spans", () => {
    expect(formatSpan(45_000)).toBe("45 s");
    expect(formatSpan(150_000)).toBe("2 min 30 s");
    expect(formatSpan(3_600_000 * 2 + 60_000 * 5)).toBe("2 h 5 min");
  });
});

describe("a ui task's manual test plan", () => {
  it("becomes the steps a human ticks: one per line or list item, or per semicolon on one line", () => {
    expect(manualChecklist("1. Open /login\n2) Sign in as a viewer\n- The Merge button is hidden")).toEqual(["Open /login", "Sign in as a viewer", "The Merge button is hidden"]);
    expect(manualChecklist("Open the board; drag a card; it stays put")).toEqual(["Open the board", "drag a card", "it stays put"]);
    expect(manualChecklist(null)).toEqual([]);
    expect(manualChecklist("  ")).toEqual([]);
  });
});

describe("a heartbeat decision on the timeline", () => {
  it("says what was decided about which task, what became of it, and why", () => {
    expect(describeHeartbeatDecision({ action: "replace_stalled_attempt", taskId: "t", reason: "No event for 20 min." }, "T2")).toBe("Replace stalled attempt T2: No event for 20 min.");
    expect(
      describeHeartbeatDecision({ action: "manager_follow_up", taskId: null, taskKey: "T1", outcome: "awaiting_approval", reason: "Would widen its scope to docs/**." }, null),
    ).toBe("Manager: follow up T1 (waits for a human's approval): Would widen its scope to docs/**.");
  });
});
