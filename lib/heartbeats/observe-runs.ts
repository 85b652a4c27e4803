import { and, eq, inArray, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { approvals, attempts, pullRequests, questions, tasks } from "../../db/schema";
import { findOrphanedTasks } from "../tasks/recover-orphaned-task";
import type { TaskStatus } from "../tasks/status";

export type RunObservation = {
  byStatus: { status: TaskStatus; count: number }[];
  live: { id: string; taskId: string; number: number; lastActivityAt: Date }[];
  openQuestions: number;
  pendingApprovals: number;
  blocked: { key: string; reason: string | null }[];
  openPulls: { id: string; taskId: string; number: number; ciState: string; reviewState: string | null }[];
  orphans: { id: string; key: string; currentAttempt: number }[];
};

const group = <T extends { runId: string }>(rows: T[]) => {
  const byRun = new Map<string, Omit<T, "runId">[]>();
  for (const { runId, ...row } of rows) byRun.set(runId, [...(byRun.get(runId) ?? []), row]);
  return byRun;
};

/**
 * What a heartbeat looks at, for many runs at once: one query per concern
 * (tasks by status, live attempts, open questions, pending approvals, blocked
 * tasks, open pull requests, orphaned tasks), never one per run. `running`
 * names the runs whose orphans are looked for (a paused run has none).
 */
export async function observeRuns(tx: Queryable, runIds: string[], running: string[]): Promise<Map<string, RunObservation>> {
  const [byStatus, live, open, pending, blocked, openPulls, orphans] = await Promise.all([
    tx
      .select({ runId: tasks.runId, status: tasks.status, count: sql<number>`count(*)::int` })
      .from(tasks)
      .where(inArray(tasks.runId, runIds))
      .groupBy(tasks.runId, tasks.status),
    tx
      .select({ runId: attempts.runId, id: attempts.id, taskId: attempts.taskId, number: attempts.number, lastActivityAt: attempts.lastActivityAt })
      .from(attempts)
      .where(and(inArray(attempts.runId, runIds), inArray(attempts.status, ["starting", "running"]))),
    tx
      .select({ runId: questions.runId, count: sql<number>`count(*)::int` })
      .from(questions)
      .where(and(inArray(questions.runId, runIds), eq(questions.status, "open")))
      .groupBy(questions.runId),
    tx
      .select({ runId: approvals.runId, count: sql<number>`count(*)::int` })
      .from(approvals)
      .where(and(inArray(approvals.runId, runIds), eq(approvals.status, "pending")))
      .groupBy(approvals.runId),
    tx
      .select({ runId: tasks.runId, key: tasks.key, reason: tasks.holdReason })
      .from(tasks)
      .where(and(inArray(tasks.runId, runIds), eq(tasks.status, "blocked")))
      .orderBy(tasks.position),
    tx
      .select({ runId: pullRequests.runId, id: pullRequests.id, taskId: pullRequests.taskId, number: pullRequests.number, ciState: pullRequests.ciState, reviewState: pullRequests.reviewState })
      .from(pullRequests)
      .where(and(inArray(pullRequests.runId, runIds), eq(pullRequests.state, "open"))),
    running.length > 0 ? findOrphanedTasks(tx, running) : Promise.resolve([]),
  ]);
  const statuses = group(byStatus);
  const lives = group(live);
  const blockedByRun = group(blocked);
  const pulls = group(openPulls);
  const orphansByRun = group(orphans);
  const counts = (rows: { runId: string; count: number }[]) => new Map(rows.map((row) => [row.runId, row.count]));
  const openCount = counts(open);
  const pendingCount = counts(pending);
  return new Map(
    runIds.map((runId) => [
      runId,
      {
        byStatus: statuses.get(runId) ?? [],
        live: lives.get(runId) ?? [],
        openQuestions: openCount.get(runId) ?? 0,
        pendingApprovals: pendingCount.get(runId) ?? 0,
        blocked: blockedByRun.get(runId) ?? [],
        openPulls: pulls.get(runId) ?? [],
        orphans: orphansByRun.get(runId) ?? [],
      },
    ]),
  );
}
