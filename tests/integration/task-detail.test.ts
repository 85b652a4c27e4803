import { describe, expect, it } from "vitest";
import { pullRequests, reports, reviewComments, verifications } from "../../db/schema";
import { AppError } from "../../lib/errors/app-error";
import { getRunSnapshot } from "../../lib/runs/get-snapshot";
import { findTaskRunId, getTaskDetail } from "../../lib/tasks/get-task-detail";
import { useTestDatabase } from "../support/db";
import { seedAttempt, seedRepository, seedRun, seedTask } from "../support/factories";

const { db } = await useTestDatabase();

const REPORT = {
  status: "done",
  summary: "Fixed it.",
  filesChanged: ["a.txt"],
  verification: [{ command: "npm test", result: "ok", passed: true }],
  handoff: { branch: null, prUrl: null, artifact: null },
  openIssues: [],
  recommendedNextAction: "merge",
};

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));

async function seedHandedOffTask() {
  const repository = await seedRepository(db, { github: "acme/widgets" });
  const run = await seedRun(db, { repositoryId: repository.id, status: "running" });
  const task = await seedTask(db, { runId: run.id, key: "T1", status: "needs_review" });
  const followUp = await seedTask(db, { runId: run.id, key: "T1-f1", parentTaskId: task.id });
  const first = await seedAttempt(db, { runId: run.id, taskId: task.id, number: 1, status: "completed" });
  const second = await seedAttempt(db, { runId: run.id, taskId: task.id, number: 2, status: "completed" });
  await db.insert(verifications).values([
    { runId: run.id, taskId: task.id, attemptId: first.id, attemptNumber: 1, status: "failed", summary: "1 of 1 command(s) failed", startedAt: at(1) },
    {
      runId: run.id,
      taskId: task.id,
      attemptId: second.id,
      attemptNumber: 2,
      status: "passed",
      summary: "1 command(s) passed",
      changedFiles: ["a.txt"],
      commands: [{ command: "npm test", source: "task", exitCode: 0, timedOut: false, durationMs: 5, outputTail: "ok" }],
      startedAt: at(2),
    },
  ]);
  await db.insert(reports).values([
    { runId: run.id, taskId: task.id, attemptId: first.id, kind: "worker_report", payload: null, raw: "not json", valid: false, error: "Unexpected token", createdAt: at(1) },
    { runId: run.id, taskId: task.id, attemptId: second.id, kind: "worker_report", payload: REPORT, createdAt: at(2) },
    { runId: run.id, taskId: task.id, attemptId: first.id, kind: "handoff_diff", payload: { branch: "b", startSha: "old" }, raw: "old diff", createdAt: at(1) },
    {
      runId: run.id,
      taskId: task.id,
      attemptId: second.id,
      kind: "handoff_diff",
      payload: { branch: "foreman/x/T1", startSha: "abc", files: 1, insertions: 1, deletions: 0, stat: " a.txt | 1 +" },
      raw: "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1 @@\n+a\n\n… (diff cut at 1048576 bytes)\n",
      createdAt: at(3),
    },
  ]);
  const [oldPr, pr] = await db
    .insert(pullRequests)
    .values([
      { runId: run.id, taskId: task.id, repositoryId: repository.id, number: 11, url: "https://github.test/acme/widgets/pull/11", headBranch: "b", baseBranch: "main", state: "closed", createdAt: at(1) },
      {
        runId: run.id,
        taskId: task.id,
        repositoryId: repository.id,
        number: 12,
        url: "https://github.test/acme/widgets/pull/12",
        headBranch: "foreman/x/T1",
        baseBranch: "main",
        headSha: "def",
        ciState: "success",
        reviewState: "changes_requested",
        mergeable: true,
        createdAt: at(2),
      },
    ])
    .returning();
  await db.insert(reviewComments).values({ pullRequestId: pr!.id, taskId: task.id, kind: "review_comment", externalId: 7, author: "rev", body: "<b>rename</b> this", path: "a.txt", line: 1, category: "style" });
  return { run, task, followUp, oldPr: oldPr!, pr: pr! };
}

describe("task detail", () => {
  it("gathers reports, verifications newest first, the latest diff with its cut flag, the PR, comments and lineage", async () => {
    const { run, task, followUp } = await seedHandedOffTask();
    expect(await findTaskRunId(db, task.id)).toBe(run.id);
    const detail = await getTaskDetail(db, task.id);

    expect(detail.verifications.map((v) => [v.attemptNumber, v.status])).toEqual([
      [2, "passed"],
      [1, "failed"],
    ]);
    expect(detail.verifications[0]!.commands[0]!.outputTail).toBe("ok");
    const workerReports = detail.reports.filter((report) => report.kind === "worker_report");
    expect(workerReports.map((report) => [report.attemptNumber, report.valid, report.workerReport?.summary ?? null, report.raw])).toEqual([
      [2, true, "Fixed it.", null],
      [1, false, null, "not json"],
    ]);
    // The list carries no diff text; the latest diff comes once, flagged as cut.
    expect(detail.reports.filter((report) => report.kind === "handoff_diff").map((report) => report.raw)).toEqual([null, null]);
    expect(detail.diff).toMatchObject({ attemptNumber: 2, branch: "foreman/x/T1", startSha: "abc", files: 1, truncated: true });
    expect(detail.diff!.raw).toContain("+a");
    expect(detail.pullRequest).toMatchObject({ number: 12, ciState: "success", reviewState: "changes_requested", mergeable: true });
    expect(detail.reviewComments).toEqual([expect.objectContaining({ body: "<b>rename</b> this", category: "style", path: "a.txt", line: 1 })]);
    expect(detail.parent).toBeNull();
    expect(detail.followUps.map((t) => t.key)).toEqual(["T1-f1"]);

    const child = await getTaskDetail(db, followUp.id);
    expect(child.parent).toMatchObject({ id: task.id, key: "T1" });
    expect(child.diff).toBeNull();
    expect(child.pullRequest).toBeNull();
  });

  it("is not found for an unknown task", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await findTaskRunId(db, missing)).toBeNull();
    await expect(getTaskDetail(db, missing)).rejects.toBeInstanceOf(AppError);
  });

  it("the run snapshot carries each task's latest PR and verification, and the repository's GitHub name", async () => {
    const { run, task, followUp } = await seedHandedOffTask();
    const snapshot = await getRunSnapshot(db, run.id);
    expect(snapshot.run.github).toBe("acme/widgets");
    const card = snapshot.tasks.find((t) => t.id === task.id)!;
    expect(card.pullRequest).toEqual({
      number: 12,
      url: "https://github.test/acme/widgets/pull/12",
      state: "open",
      draft: false,
      ciState: "success",
      reviewState: "changes_requested",
      mergeable: true,
      headSha: "def",
    });
    expect(card.latestVerification).toEqual({ status: "passed", summary: "1 command(s) passed", attemptNumber: 2 });
    const other = snapshot.tasks.find((t) => t.id === followUp.id)!;
    expect(other.pullRequest).toBeNull();
    expect(other.latestVerification).toBeNull();
  });
});
