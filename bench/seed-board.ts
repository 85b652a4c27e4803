import type { Db } from "../db/client";
import { attempts, heartbeats, pullRequests, repositories, runs, tasks, verifications } from "../db/schema";
import { defaultRunSettings } from "../lib/runs/settings";
import type { TaskStatus } from "../lib/tasks/status";

/** How a 200-card board is spread over the columns: mostly realistic, every column busy. */
const MIX: [TaskStatus, number][] = [
  ["waiting", 50],
  ["ready", 5],
  ["running", 35],
  ["verifying", 10],
  ["needs_review", 30],
  ["blocked", 20],
  ["done", 40],
  ["failed", 5],
  ["cancelled", 5],
];

/** The runner the seeded live attempts belong to: the bench writes for them as that runner. */
export const BENCH_RUNNER = "bench-runner";

export type SeededBoard = {
  runId: string;
  /** Running tasks with their live attempt: the bench streams events to these cards. */
  running: { taskId: string; attemptId: string; attemptNumber: number }[];
};

/**
 * A running run with `cards` tasks in every column, with attempts, Foreman's
 * verifications and pull requests where a task that far along would have them.
 * Written straight to the database: no runner job refers to it (attempts name
 * no runner, so orphan recovery leaves them alone).
 */
export async function seedBoard(db: Db, cards: number): Promise<SeededBoard> {
  const [repository] = await db.insert(repositories).values({ name: `bench-board-${Date.now()}`, path: "/tmp/bench-board", github: "acme/bench" }).returning();
  const now = Date.now();
  const [run] = await db
    .insert(runs)
    .values({ repositoryId: repository!.id, title: `Board of ${cards} cards`, scope: "Benchmark board.", status: "running", settings: defaultRunSettings(), startedAt: new Date(now - 3_600_000) })
    .returning();
  const runId = run!.id;
  const total = MIX.reduce((sum, [, count]) => sum + count, 0);
  const statuses = MIX.flatMap(([status, count]) => Array.from({ length: Math.round((count / total) * cards) }, () => status));
  while (statuses.length < cards) statuses.push("waiting");
  statuses.length = cards;

  const taskRows = await db
    .insert(tasks)
    .values(
      statuses.map((status, index) => {
        const key = `T${index + 1}`;
        const started = status !== "waiting";
        return {
          runId,
          key,
          title: `Benchmark task ${key}: change module ${index % 17} without touching the others`,
          kind: (["code", "tests", "docs", "ui", "code"] as const)[index % 5],
          goal: `Change module ${index % 17}.`,
          scope: [`src/module-${index}/**`],
          definitionOfDone: ["npm test passes"],
          verification: { commands: ["npm test"], manual: null },
          dependsOn: status === "waiting" && index > 0 ? [`T${index}`] : [],
          status,
          holdReason: status === "waiting" ? `waits for T${index}` : status === "blocked" ? "Verification still fails after 2 follow-up turn(s): npm test (exit 1)." : null,
          position: index,
          currentAttempt: started ? 1 : 0,
          branch: started ? `foreman/bench/${key}` : null,
          changedFiles: started ? [`src/module-${index}/index.ts`, `src/module-${index}/index.test.ts`] : [],
          tokensInput: started ? 12_000 + index * 10 : 0,
          tokensOutput: started ? 900 + index : 0,
          statusChangedAt: new Date(now - (index % 60) * 60_000),
          lastActivity: started ? `$ npm test → exit ${index % 3 === 0 ? 1 : 0}` : null,
          lastActivityAt: started ? new Date(now - (index % 60) * 30_000) : null,
        };
      }),
    )
    .returning({ id: tasks.id, status: tasks.status, key: tasks.key, position: tasks.position });

  const startedTasks = taskRows.filter((task) => task.status !== "waiting");
  const attemptRows = await db
    .insert(attempts)
    .values(
      startedTasks.map((task) => {
        const live = task.status === "running" || task.status === "ready" || task.status === "verifying";
        const startedAt = new Date(now - 1_800_000 + task.position * 5_000);
        return {
          runId,
          taskId: task.id,
          number: 1,
          runnerId: BENCH_RUNNER,
          status: live ? ("running" as const) : task.status === "failed" ? ("failed" as const) : ("completed" as const),
          startedAt,
          lastActivityAt: new Date(now),
          endedAt: live ? null : new Date(startedAt.getTime() + 600_000),
          tokensInput: 12_000,
          tokensOutput: 900,
        };
      }),
    )
    .returning({ id: attempts.id, taskId: attempts.taskId, status: attempts.status });
  const attemptOf = new Map(attemptRows.map((attempt) => [attempt.taskId, attempt.id]));

  const verified = startedTasks.filter((task) => ["verifying", "needs_review", "blocked", "done"].includes(task.status));
  await db.insert(verifications).values(
    verified.map((task) => ({
      runId,
      taskId: task.id,
      attemptId: attemptOf.get(task.id)!,
      attemptNumber: 1,
      status: task.status === "verifying" ? ("running" as const) : task.status === "blocked" ? ("failed" as const) : ("passed" as const),
      changedFiles: [`src/module-${task.position}/index.ts`],
      commands: [{ command: "npm test", source: "task" as const, exitCode: task.status === "blocked" ? 1 : 0, timedOut: false, durationMs: 4200, outputTail: "ok" }],
      summary: task.status === "blocked" ? "1 of 1 command(s) failed: npm test (exit 1)" : "1 command(s) passed",
      finishedAt: task.status === "verifying" ? null : new Date(now),
    })),
  );
  const reviewed = startedTasks.filter((task) => task.status === "needs_review" || task.status === "done");
  await db.insert(pullRequests).values(
    reviewed.map((task, index) => ({
      runId,
      taskId: task.id,
      repositoryId: repository!.id,
      number: 100 + index,
      url: `https://github.com/acme/bench/pull/${100 + index}`,
      headBranch: `foreman/bench/${task.key}`,
      baseBranch: "main",
      state: task.status === "done" ? ("merged" as const) : ("open" as const),
      ciState: (["success", "pending", "failure"] as const)[index % 3],
      reviewState: index % 4 === 0 ? "changes_requested" : index % 4 === 1 ? "approved" : null,
    })),
  );
  await db.insert(heartbeats).values(
    Array.from({ length: 10 }, (_, index) => ({
      runId,
      trigger: index % 3 === 0 ? ("manual" as const) : ("schedule" as const),
      status: "completed" as const,
      observations: { runStatus: "running", tasksByStatus: Object.fromEntries(MIX), openQuestions: 0, pendingApprovals: 0 },
      decisions: [],
      startedAt: new Date(now - index * 600_000),
      finishedAt: new Date(now - index * 600_000 + 40),
    })),
  );

  const running = taskRows
    .filter((task) => task.status === "running")
    .map((task) => ({ taskId: task.id, attemptId: attemptOf.get(task.id)!, attemptNumber: 1 }));
  return { runId, running };
}
