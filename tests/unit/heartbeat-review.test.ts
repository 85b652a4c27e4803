import { describe, expect, it } from "vitest";
import { decision } from "../../e2e/scripted-model/scenarios/manager";
import { heartbeatReviewJsonSchema, heartbeatReviewSchema } from "../../lib/heartbeats/heartbeat-review";
import { widening } from "../../lib/heartbeats/manager-actions";

describe("the HeartbeatReview contract", () => {
  it("has DESIGN.md §5's field names, every one required, nothing else allowed", () => {
    const schema = heartbeatReviewJsonSchema as { required: string[]; additionalProperties: boolean; properties: { decisions: { items: { required: string[]; additionalProperties: boolean } } } };
    expect(schema.required).toEqual(["summary", "decisions"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.decisions.items.required).toEqual(["kind", "taskKey", "reason", "goal", "scope", "definitionOfDone", "verification", "dependsOn", "question"]);
    expect(schema.properties.decisions.items.additionalProperties).toBe(false);
  });

  it("refuses a decision whose scope glob is out of bounds, or whose kind is unknown", () => {
    expect(heartbeatReviewSchema.safeParse({ summary: "s", decisions: [decision({ kind: "follow_up", scope: ["src/{a,b}/**"] })] }).success).toBe(true);
    expect(heartbeatReviewSchema.safeParse({ summary: "s", decisions: [decision({ kind: "follow_up", scope: [`src/${"{a,b}".repeat(40)}`] })] }).success).toBe(false);
    expect(heartbeatReviewSchema.safeParse({ summary: "s", decisions: [decision({ kind: "follow_up", scope: ["../outside/**"] })] }).success).toBe(false);
    expect(heartbeatReviewSchema.safeParse({ summary: "s", decisions: [{ ...decision({ kind: "wait" }), kind: "mark_done" }] }).success).toBe(false);
  });
});

describe("what widens a task's scope", () => {
  it("is any glob the task's scope does not already name or cover", () => {
    expect(widening(["src/billing/**", "greeting.txt"], [])).toEqual([]);
    expect(widening(["src/billing/**", "greeting.txt"], ["greeting.txt", "./src/billing/**"])).toEqual([]);
    expect(widening(["src/billing/**"], ["src/billing/invoice.ts"])).toEqual([]);
    expect(widening(["src/billing/**"], ["src/**", "docs/notes.md"])).toEqual(["src/**", "docs/notes.md"]);
  });
});
