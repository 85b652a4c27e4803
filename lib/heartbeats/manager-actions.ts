import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { tasks } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { managerFollowUpPrompt } from "../prompts/worker";
import { matchesGlob, normalize } from "../scheduler/globs";
import { head } from "../shared/cap";
import { startFollowUp } from "../tasks/start-follow-up";
import type { HeartbeatReviewDecision } from "./heartbeat-review";
import { enqueue } from "../jobs/enqueue";

type TaskRow = typeof tasks.$inferSelect;

/** The globs of `wanted` that `scope` does not already cover: a non-empty answer widens the scope. */
export function widening(scope: readonly string[], wanted: readonly string[]): string[] {
  const have = new Set(scope.map(normalize));
  const literal = (glob: string) => !/[*?{]/.test(glob);
  return wanted.filter((glob) => !have.has(normalize(glob)) && !(literal(glob) && scope.some((own) => matchesGlob(normalize(glob), own))));
}

/** Follow-ups and tasks the manager has started in a run so far (the run cap counts both). */
export async function managerActionsSoFar(tx: Queryable, runId: string): Promise<number> {
  const [row] = await tx
    .select({
      followUps: sql<number>`coalesce(sum(${tasks.managerFollowUps}), 0)::int`,
      added: sql<number>`(count(*) filter (where ${tasks.parentTaskId} is not null))::int`,
    })
    .from(tasks)
    .where(eq(tasks.runId, runId));
  return (row?.followUps ?? 0) + (row?.added ?? 0);
}

/** Tasks the manager added under `parentId`. */
export async function childrenOf(tx: Queryable, parentId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(tasks).where(and(eq(tasks.parentTaskId, parentId), isNotNull(tasks.parentTaskId)));
  return row?.n ?? 0;
}

/**
 * The manager's follow-up on a task's own thread and branch; `scope`, when a
 * human approved widening it, becomes the task's scope first.
 */
export async function startManagerFollowUp(
  tx: Queryable,
  boss: PgBoss,
  task: Pick<TaskRow, "id" | "key" | "scope" | "managerFollowUps">,
  decision: Pick<HeartbeatReviewDecision, "goal" | "reason" | "definitionOfDone" | "scope">,
  approvedBy: string | null = null,
): Promise<{ attempt: number }> {
  const widened = widening(task.scope, decision.scope);
  if (widened.length > 0) await tx.update(tasks).set({ scope: [...task.scope, ...widened] }).where(eq(tasks.id, task.id));
  const started = await startFollowUp(tx, boss, {
    taskId: task.id,
    from: ["blocked", "needs_review"],
    reason: head(`${approvedBy ? `${approvedBy} approved the manager's follow-up` : "The manager's follow-up"}: ${decision.reason}`, 2000),
    followUp: { purpose: "manager", prompt: managerFollowUpPrompt({ goal: decision.goal ?? decision.reason, reason: decision.reason, definitionOfDone: decision.definitionOfDone }) },
  });
  await tx.update(tasks).set({ managerFollowUps: task.managerFollowUps + 1 }).where(eq(tasks.id, task.id));
  return started;
}

/** A task the manager added under `parent` (its own goal, scope, DoD and verification): it waits for the scheduler. */
export async function addManagerTask(
  tx: Queryable,
  boss: PgBoss,
  runId: string,
  parent: Pick<TaskRow, "id" | "key" | "kind"> | null,
  decision: HeartbeatReviewDecision,
): Promise<{ key: string; id: string }> {
  const [last] = await tx
    .select({ n: sql<number>`coalesce(max(nullif(regexp_replace(${tasks.key}, '\\D', '', 'g'), '')::int), 0)::int`, position: sql<number>`coalesce(max(${tasks.position}), 0)::int` })
    .from(tasks)
    .where(eq(tasks.runId, runId));
  const key = `T${(last?.n ?? 0) + 1}`;
  const goal = decision.goal ?? decision.reason;
  const [row] = await tx
    .insert(tasks)
    .values({
      runId,
      key,
      title: head(goal.split("\n")[0] ?? goal, 120),
      kind: parent?.kind ?? "code",
      goal,
      scope: decision.scope,
      definitionOfDone: decision.definitionOfDone,
      verification: decision.verification ?? { commands: [], manual: null },
      dependsOn: decision.dependsOn,
      status: "waiting",
      parentTaskId: parent?.id ?? null,
      position: (last?.position ?? 0) + 1,
    })
    .returning({ id: tasks.id });
  await appendEvent(tx, {
    runId,
    taskId: row!.id,
    payload: { type: "run.note", level: "info", message: head(`${key} added by the manager${parent ? ` under ${parent.key}` : ""}: ${decision.reason}`, 4000) },
  });
  await enqueue(boss, "run.schedule", { runId }, { tx });
  return { key, id: row!.id };
}
