import { describe, expect, it } from "vitest";
import { type PlanTask, planSchema } from "../../lib/plans/schema";
import { describePlanProblem, validatePlan } from "../../lib/plans/validate-plan";
import { globsOverlap, matchesGlob } from "../../lib/scheduler/globs";
import { type SchedulableTask, schedule } from "../../lib/scheduler/schedule";

const task = (key: string, over: Partial<SchedulableTask> = {}): SchedulableTask => ({
  key,
  status: "waiting",
  dependsOn: [],
  scope: [`src/${key.toLowerCase()}/**`],
  changedFiles: [],
  position: Number(key.slice(1)),
  ...over,
});

describe("globs", () => {
  it.each([
    ["src/billing/**", "src/billing/invoice.ts", true],
    ["src/billing/**", "src/billing", true],
    ["src/billing", "src/billing/deep/file.ts", true],
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/a.css", false],
    ["src/**/*.test.ts", "src/x/y/z.test.ts", true],
    ["docs/{a,b}.md", "docs/b.md", true],
    ["docs/{a,b}.md", "docs/c.md", false],
    ["src/api/**", "src/web/**", false],
  ])("match %s against %s → %s", (glob, file, expected) => {
    if (/[*?{]/.test(file)) expect(globsOverlap(glob, file)).toBe(expected);
    else expect(matchesGlob(file, glob)).toBe(expected);
  });

  it.each([
    ["src/billing/**", "src/**", true],
    ["src/billing/**", "src/billing/invoice.ts", true],
    ["src/billing/**", "src/shipping/**", false],
    ["src/*.ts", "src/*.css", false],
    ["src/a*.ts", "src/ab*.ts", true],
    ["**/*.md", "src/x.ts", true],
    ["lib/{a,b}/**", "lib/c/**", false],
    ["lib/{a,b}/**", "lib/b/x.ts", true],
  ])("overlap of %s and %s is %s", (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe("the scheduler", () => {
  it("justifies its order for T1, T2 (needs T1), T3 (overlaps T1), T4 (independent) at concurrency 2", () => {
    const tasks = [
      task("T1", { scope: ["src/auth/**"] }),
      task("T2", { dependsOn: ["T1"], scope: ["src/api/**"] }),
      task("T3", { scope: ["src/auth/session.ts"] }),
      task("T4", { scope: ["docs/**"] }),
    ];
    expect(schedule(tasks, 2)).toEqual({
      start: ["T1", "T4"],
      hold: [
        { key: "T2", reason: "waits for T1" },
        { key: "T3", reason: "overlaps src/auth/session.ts with T1 (src/auth/**)" },
      ],
    });

    // T1 and T4 run; nothing else may start.
    const running = tasks.map((t) => (t.key === "T1" || t.key === "T4" ? { ...t, status: "running" as const } : t));
    expect(schedule(running, 2).start).toEqual([]);

    // T1 is done: T2 may start (one worker is free); T3 no longer overlaps a running task but waits for a worker.
    const afterT1 = running.map((t) => (t.key === "T1" ? { ...t, status: "done" as const } : t));
    expect(schedule(afterT1, 2)).toEqual({
      start: ["T2"],
      hold: [{ key: "T3", reason: "waits for a free worker (2 of 2 busy)" }],
    });
  });

  it("holds a task whose scope covers a file another running task actually changed", () => {
    const tasks = [
      task("T1", { status: "running", scope: ["src/a/**"], changedFiles: ["src/shared/util.ts"] }),
      task("T2", { scope: ["src/shared/**"] }),
    ];
    expect(schedule(tasks, 4).hold).toEqual([{ key: "T2", reason: "overlaps src/shared/** with T1, which changed src/shared/util.ts" }]);
  });

  it("keeps a verifying task's files but not its worker", () => {
    const tasks = [task("T1", { status: "verifying", scope: ["src/a/**"] }), task("T2", { scope: ["src/a/x.ts"] }), task("T3")];
    expect(schedule(tasks, 1)).toEqual({ start: ["T3"], hold: [{ key: "T2", reason: "overlaps src/a/x.ts with T1 (src/a/**)" }] });
  });

  it("never starts tasks whose dependency failed or is blocked", () => {
    const tasks = [task("T1", { status: "blocked" }), task("T2", { dependsOn: ["T1"] })];
    expect(schedule(tasks, 4)).toEqual({ start: [], hold: [{ key: "T2", reason: "waits for T1" }] });
  });
});

const planTask = (key: string, dependsOn: string[] = []): PlanTask => ({
  key,
  title: `Task ${key}`,
  kind: "code",
  goal: "Do it.",
  scope: [`src/${key}/**`],
  definitionOfDone: ["tests pass"],
  verification: { commands: ["npm test"], manual: null },
  dependsOn,
});

describe("plan validation", () => {
  it("accepts a proper dependency graph", () => {
    expect(validatePlan({ tasks: [planTask("T1"), planTask("T2", ["T1"]), planTask("T3", ["T1", "T2"])] })).toEqual([]);
  });

  it("finds duplicate keys, unknown and self dependencies", () => {
    const problems = validatePlan({ tasks: [planTask("T1"), planTask("T1"), planTask("T2", ["T9", "T2"])] });
    expect(problems.map(describePlanProblem)).toEqual([
      "Two tasks share the key T1.",
      "T2 depends on T9, which is not in the plan.",
      "T2 depends on itself.",
    ]);
  });

  it("finds a dependency cycle, and a plan where nothing can start", () => {
    const cyclic = validatePlan({ tasks: [planTask("T1"), planTask("T2", ["T4"]), planTask("T3", ["T2"]), planTask("T4", ["T3"])] });
    expect(cyclic.map(describePlanProblem)).toEqual(["Dependency cycle: T2 → T4 → T3 → T2."]);
    expect(validatePlan({ tasks: [planTask("T1", ["T2"]), planTask("T2", ["T1"])] }).map((p) => p.kind)).toEqual(["cycle", "nothing_runnable"]);
  });

  it("keeps model output within bounds", () => {
    const valid = { tasks: [planTask("T1")], heartbeatPlan: "every 10 min", verificationPlan: "npm test", firstAction: "start T1" };
    expect(planSchema.safeParse(valid).success).toBe(true);
    expect(planSchema.safeParse({ ...valid, extra: true }).success).toBe(false);
    expect(planSchema.safeParse({ ...valid, tasks: [{ ...planTask("T1"), key: "task-1" }] }).success).toBe(false);
    expect(planSchema.safeParse({ ...valid, tasks: [{ ...planTask("T1"), scope: [] }] }).success).toBe(false);
  });
});
