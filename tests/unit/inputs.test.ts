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
