import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { changeCommand, improvise, planFor, readWorkPrompt, scopeItems } from "../../e2e/scripted-model/improvise";
import { SAMPLE_REPO_FILES } from "../../e2e/scripted-model/sample-repo";
import { planSchema, runSummarySchema, scopeReviewSchema } from "../../lib/plans/schema";
import { validatePlan } from "../../lib/plans/validate-plan";
import { planPrompt, reviewPrompt, summaryPrompt } from "../../lib/prompts/manager";
import { workPrompt } from "../../lib/prompts/worker";
import { workerReportSchema } from "../../lib/reports/worker-report";

const answerOf = (response: ReturnType<typeof improvise> | undefined) => {
  const item = response?.items[0];
  if (item?.type !== "json") throw new Error(`expected a JSON answer, got ${JSON.stringify(item)}`);
  return item.value;
};

function inScratchRepo<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), "improvise-"));
  try {
    for (const [file, content] of Object.entries(SAMPLE_REPO_FILES)) {
      execFileSync("mkdir", ["-p", path.dirname(path.join(dir, file))]);
      writeFileSync(path.join(dir, file), content);
    }
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sh = (cmd: string, cwd: string) => execFileSync("sh", ["-c", cmd], { cwd, stdio: "pipe" });

describe("the demo's improvised model", () => {
  it("plans one task per item of a scope a person typed, and a valid plan", () => {
    expect(scopeItems("# Tidy up\n\n- Add a changelog\n- Document the test script\n")).toEqual(["Add a changelog", "Document the test script"]);
    expect(scopeItems("Make the README friendlier")).toEqual(["Make the README friendlier"]);
    const plan = planSchema.parse(planFor("- Add a changelog\n- Document the test script", null, 1));
    expect(plan.tasks.map((task) => task.key)).toEqual(["T1", "T2"]);
    expect(validatePlan(plan)).toEqual([]);
    expect(plan.tasks[0]!.goal).toContain("Scripted demo");
  });

  it("answers the review, the plan, a re-plan with a comment and the summary in the manager's thread", () => {
    const first = reviewPrompt({ title: "Tidy", scope: "- Add a changelog\n- Document the test script", baseBranch: "main" });
    expect(scopeReviewSchema.parse(answerOf(improvise({ prompts: [first], turn: 0, response: 0 }))).verdict).toBe("clear");
    const planned = planSchema.parse(answerOf(improvise({ prompts: [first, planPrompt({ concurrency: 2 })], turn: 1, response: 0 })));
    expect(planned.tasks).toHaveLength(2);
    const replanned = planSchema.parse(
      answerOf(improvise({ prompts: [first, planPrompt({ concurrency: 2 }), planPrompt({ concurrency: 2, comment: "Also add a licence" })], turn: 2, response: 0 })),
    );
    expect(replanned.tasks.map((task) => task.title)).toEqual(["Add a changelog", "Document the test script", "Also add a licence"]);
    const summary = runSummarySchema.parse(
      answerOf(improvise({ prompts: [first, planPrompt({ concurrency: 2 }), summaryPrompt([{ key: "T1", title: "Add a changelog", status: "done", verification: "passed" }])], turn: 2, response: 0 })),
    );
    expect(summary.summary).toContain("T1 Add a changelog");
  });

  it("a worker makes a real change in its scope that passes the task's own check, even after its goal was edited", () => {
    const [task] = planFor("- Add a changelog", null, 1).tasks;
    const edited = { ...task!, goal: "Write the changelog in French, please" };
    const prompt = workPrompt(edited, { branch: "foreman/x/T1", repositoryCommand: null });
    const read = readWorkPrompt(prompt);
    expect(read).toMatchObject({ key: "T1", scope: edited.scope, checks: edited.verification.commands });
    inScratchRepo((dir) => {
      const { cmd, file } = changeCommand(read);
      sh(cmd, dir);
      sh(cmd, dir); // a resumed turn runs it again: still one line
      expect(readFileSync(path.join(dir, file), "utf8")).toBe("Scripted demo change for T1: Write the changelog in French, please\n");
      for (const check of read.checks) sh(check, dir);
    });
    const steps = [0, 1, 2].map((response) => improvise({ prompts: [prompt], turn: 0, response }));
    expect(steps[0]?.items[0]?.type).toBe("exec");
    expect(workerReportSchema.parse(answerOf(steps[2])).filesChanged).toEqual([edited.scope[0]]);
  });

  it("a worker on the sample's greeting makes the sample's own test pass", () => {
    const prompt = workPrompt(
      { key: "T1", title: "Fix", kind: "code", goal: "Say hello properly", scope: ["greeting.txt"], definitionOfDone: [], verification: { commands: ["sh test.sh"], manual: null } },
      { branch: "b", repositoryCommand: null },
    );
    inScratchRepo((dir) => {
      sh(changeCommand(readWorkPrompt(prompt)).cmd, dir);
      sh("sh test.sh", dir);
    });
  });

  it("leaves prompts that are not Foreman's unanswered", () => {
    expect(improvise({ prompts: ["hello there"], turn: 0, response: 0 })).toBeNull();
  });
});
