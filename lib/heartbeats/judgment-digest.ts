import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { heartbeats, tasks, verifications } from "../../db/schema";
import type { JudgedTask } from "../prompts/manager";
import type { RunSettings } from "../runs/settings";
import { tail } from "../shared/cap";
import { describeFindings } from "../verifications/detect-weakening";
import { transitionHeartbeat } from "./transition-heartbeat";

/**
 * What a heartbeat has to judge (DESIGN.md §4.8): tasks blocked (verification
 * failing after its follow-ups, a worker's `blocked`, a stall past its cap,
 * the effort caps) or failed, and tasks waiting for review with disputed
 * claims or weakened checks. A task is judged once per status change: the
 * claim stamps `managerJudgedAt`, so a concurrent heartbeat does not judge it
 * twice and a task the manager has already judged waits for a human.
 */
export async function claimTasksToJudge(tx: Queryable, runIds: string[]): Promise<Map<string, string[]>> {
  const claimed = new Map<string, string[]>();
  if (runIds.length === 0) return claimed;
  const candidates = await tx
    .select({ id: tasks.id, runId: tasks.runId, status: tasks.status, disputed: tasks.disputedClaims })
    .from(tasks)
    .where(
      and(
        inArray(tasks.runId, runIds),
        inArray(tasks.status, ["blocked", "failed", "needs_review"]),
        or(isNull(tasks.managerJudgedAt), lt(tasks.managerJudgedAt, tasks.statusChangedAt)),
      ),
    )
    .orderBy(asc(tasks.position))
    .for("update", { skipLocked: true });
  // A task in review is judged only for disputed claims or for checks its last verification found weakened.
  const inReview = candidates.filter((task) => task.status === "needs_review" && task.disputed.length === 0).map((task) => task.id);
  const lastVerifications =
    inReview.length > 0
      ? await tx
          .selectDistinctOn([verifications.taskId], { taskId: verifications.taskId, weakening: verifications.weakening })
          .from(verifications)
          .where(inArray(verifications.taskId, inReview))
          .orderBy(verifications.taskId, desc(verifications.startedAt))
      : [];
  const weakened = new Set(lastVerifications.filter((last) => last.weakening.length > 0).map((last) => last.taskId));
  const ids: string[] = [];
  for (const task of candidates) {
    if (task.status === "needs_review" && task.disputed.length === 0 && !weakened.has(task.id)) continue;
    ids.push(task.id);
    claimed.set(task.runId, [...(claimed.get(task.runId) ?? []), task.id]);
  }
  if (ids.length > 0) await tx.update(tasks).set({ managerJudgedAt: sql`now()` }).where(inArray(tasks.id, ids));
  return claimed;
}

/** A heartbeat still waiting for the manager after this long lost its runner: its tasks are judged again. */
export const JUDGMENT_STALE_MINUTES = 30;

/**
 * A runner that stopped between claiming tasks and storing the manager's
 * decisions leaves a `running` heartbeat: it is marked failed with the reason
 * and its tasks (kept in its observations) are released for the next review.
 * One statement for all the runs of a heartbeat pass.
 */
export async function abandonStaleJudgments(tx: Queryable, runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  // Race: a heartbeat whose manager answers right now is locked by that writer: skipped here, it ends on its own.
  const stale = await tx
    .select({ id: heartbeats.id, observations: heartbeats.observations })
    .from(heartbeats)
    .where(and(inArray(heartbeats.runId, runIds), eq(heartbeats.status, "running"), lt(heartbeats.startedAt, sql`now() - make_interval(mins => ${JUDGMENT_STALE_MINUTES})`)))
    .for("no key update", { skipLocked: true });
  for (const beat of stale) await transitionHeartbeat(tx, beat.id, "failed", { reason: "The runner stopped before the manager's review was stored; the tasks are judged again." });
  const taskIds = stale.flatMap((beat) => (Array.isArray(beat.observations.judging) ? beat.observations.judging.filter((id): id is string => typeof id === "string") : []));
  await releaseJudgment(tx, taskIds);
  return stale.length;
}

/** A claimed task goes back to be judged at the next heartbeat (the manager could not answer). */
export async function releaseJudgment(tx: Queryable, taskIds: string[]): Promise<void> {
  if (taskIds.length > 0) await tx.update(tasks).set({ managerJudgedAt: null }).where(inArray(tasks.id, taskIds));
}

/** The digest of Foreman's own records for the judged tasks, and a line for every other task. */
export async function judgmentDigest(tx: Queryable, runId: string, taskIds: string[], settings: RunSettings) {
  const rows = await tx.select().from(tasks).where(eq(tasks.runId, runId)).orderBy(asc(tasks.position));
  const judged: JudgedTask[] = [];
  for (const task of rows.filter((row) => taskIds.includes(row.id))) {
    const [last] = await tx.select().from(verifications).where(eq(verifications.taskId, task.id)).orderBy(desc(verifications.startedAt)).limit(1);
    const failing = last?.commands.filter((command) => command.exitCode !== 0) ?? [];
    judged.push({
      key: task.key,
      title: task.title,
      kind: task.kind,
      status: task.status,
      holdReason: task.holdReason,
      scope: task.scope,
      definitionOfDone: task.definitionOfDone,
      verificationCommands: task.verification.commands,
      verification: last
        ? [
            `${last.status}: ${last.summary ?? "no summary"}`,
            ...(last.outOfScope.length ? [`changed outside its scope: ${last.outOfScope.join(", ")}`] : []),
            ...failing.map((command) => `$ ${command.command} → ${command.timedOut ? "timed out" : `exit ${command.exitCode}`}\n${tail(command.outputTail, 1500)}`),
          ].join("\n")
        : null,
      disputedClaims: task.disputedClaims,
      weakenedChecks: last ? describeFindings(last.weakening, 10) : [],
      followUps: { verification: task.followUps, manager: task.managerFollowUps, managerCap: settings.managerFollowUpCap, stalls: task.stalls },
    });
  }
  const others = rows.filter((row) => !taskIds.includes(row.id)).map((row) => ({ key: row.key, title: row.title, status: row.status, scope: row.scope }));
  return { judged, others, tasks: rows };
}
