import "server-only";
import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { approvals, questions, repositories, runs, tasks } from "../../db/schema";
import { estimateCost } from "./costs";
import type { RunStatus } from "./status";

/** The newest runs first; `statuses` narrows the list (the runs page's filter). */
export async function listRuns(db: Db, limit = 100, statuses?: readonly RunStatus[]) {
  const rows = await db
    .select({
      settings: runs.settings,
      tokensCachedInput: runs.tokensCachedInput,
      id: runs.id,
      title: runs.title,
      status: runs.status,
      repositoryId: runs.repositoryId,
      repositoryName: repositories.name,
      createdAt: runs.createdAt,
      updatedAt: runs.updatedAt,
      tokensInput: runs.tokensInput,
      tokensOutput: runs.tokensOutput,
      tasksTotal: sql<number>`(select count(*)::int from ${tasks} where ${tasks.runId} = ${runs.id})`,
      tasksDone: sql<number>`(select count(*)::int from ${tasks} where ${tasks.runId} = ${runs.id} and ${tasks.status} = 'done')`,
      tasksRunning: sql<number>`(select count(*)::int from ${tasks} where ${tasks.runId} = ${runs.id} and ${tasks.status} = 'running')`,
      // What waits for a person (lib/runs/needs-you.ts).
      tasksBlocked: sql<number>`(select count(*)::int from ${tasks} where ${tasks.runId} = ${runs.id} and ${tasks.status} = 'blocked')`,
      tasksNeedsReview: sql<number>`(select count(*)::int from ${tasks} where ${tasks.runId} = ${runs.id} and ${tasks.status} = 'needs_review')`,
      openQuestions: sql<number>`(select count(*)::int from ${questions} where ${questions.runId} = ${runs.id} and ${questions.status} = 'open')`,
      pendingApprovals: sql<number>`(select count(*)::int from ${approvals} where ${approvals.runId} = ${runs.id} and ${approvals.status} = 'pending')`,
    })
    .from(runs)
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(statuses ? inArray(runs.status, [...statuses]) : undefined)
    .orderBy(desc(runs.createdAt))
    .limit(limit);
  return rows.map(({ settings, ...row }) => ({
    ...row,
    estimatedCostUsd: estimateCost({ input: row.tokensInput, cachedInput: row.tokensCachedInput, output: row.tokensOutput }, settings.prices ?? null),
  }));
}
