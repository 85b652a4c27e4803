import { existsSync } from "node:fs";
import { and, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { type Db, transactionWithRetry } from "../../db/client";
import { attempts, repositories, runners, runs, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { head } from "../../lib/shared/cap";
import { startTaskAttempt } from "../../lib/tasks/start-task-attempt";
import { ATTEMPT_MARKER } from "../codex/child-env";
import { stopMarkedProcesses } from "../codex/process-table";
import type { AgentRuntime } from "../codex/runtime";
import { codexHomePath } from "../codex/codex-home";
import { saveThread } from "../codex/thread-store";
import { commitChanges } from "../git/commit-changes";
import { dataDirOf } from "../git/prepare-worktree";
import { recordedArtifacts } from "../work/prepare-task-worktree";
import { handBack } from "../work/hand-back";

export type TakenOver = { attemptId: string; taskId: string; runnerId: string; stopped: number[]; reason: string };

/** An attempt handed back but not yet resumed for this long gets its resume job queued again (it is queued once). */
const RESUME_BACKSTOP_MS = 30_000;

/**
 * The take-over sweep, run by every runner on start and every few seconds:
 *
 * 1. Runners whose lease expired (or that stopped) while holding live attempts
 *    are marked taken over by this runner, in one statement: from then on they
 *    can renew nothing, and their late writes for those attempts are refused.
 * 2. Every live attempt of a taken-over runner is handed back: on this host its
 *    leftover agent processes are stopped first and what its worktree holds is
 *    committed; the attempt is interrupted, its task stays running, and a resume
 *    job continues it on whichever runner takes it (the thread and branch move
 *    with it: thread-store.ts, prepare-worktree.ts).
 * 3. A handed-back attempt whose resume job was lost (a runner died between
 *    the two) gets it again; the job's id makes that a no-op otherwise.
 */
export async function takeOver(db: Db, boss: PgBoss, runtime: AgentRuntime, self: { runnerId: string }): Promise<TakenOver[]> {
  const live = ["starting", "running"] as const;
  await db
    .update(runners)
    .set({ takenOverAt: sql`now()`, takenOverBy: self.runnerId })
    .where(
      and(
        isNull(runners.takenOverAt),
        ne(runners.id, self.runnerId),
        or(lt(runners.leaseExpiresAt, sql`now()`), isNotNull(runners.stoppedAt)),
        sql`exists (select 1 from ${attempts} where ${attempts.runnerId} = ${runners.id} and ${attempts.status} in ('starting', 'running'))`,
      ),
    );
  const orphans = await db
    .select({
      attempt: attempts,
      runner: { id: runners.id, hostname: runners.hostname, lastSeenAt: runners.lastSeenAt, takenOverBy: runners.takenOverBy },
      envFiles: repositories.envFiles,
    })
    .from(attempts)
    .innerJoin(runners, eq(runners.id, attempts.runnerId))
    .innerJoin(runs, eq(runs.id, attempts.runId))
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(and(inArray(attempts.status, [...live]), isNotNull(runners.takenOverAt), ne(runners.id, self.runnerId)));

  const taken: TakenOver[] = [];
  for (const { attempt, runner, envFiles } of orphans) {
    const target = { runId: attempt.runId, taskId: attempt.taskId, attemptId: attempt.id, attemptNumber: attempt.number, runnerId: runner.id };
    let stopped: number[] = [];
    let saved = "";
    if (runner.hostname === runtime.hostname) {
      // Same machine: nothing of the dead runner's attempt may keep working while another continues it.
      // Through the codex wrapper, not its process group: codex stops its own tools and writes its thread out whole.
      stopped = await stopMarkedProcesses(`${ATTEMPT_MARKER}=${attempt.id}`, { graceMs: runtime.interruptGraceMs });
      // The thread as codex left it on this machine (its last lines were not yet shared): shared now.
      if (attempt.threadId && attempt.worktreePath) {
        const home = codexHomePath(dataDirOf(attempt.worktreePath), runtime.hostname, { kind: "task", id: attempt.taskId });
        await saveThread(db, { codexHome: home, threadId: attempt.threadId, runnerId: runner.id }).catch(() => {});
      }
      if (attempt.worktreePath && existsSync(attempt.worktreePath)) {
        const commit = await commitChanges(
          attempt.worktreePath,
          `Work left by attempt ${attempt.number} when its runner stopped\n\nCommitted by Foreman while taking over from runner ${runner.id}.`,
          [...envFiles, ...(await recordedArtifacts(db, attempt.taskId))],
        ).catch(() => null);
        if (commit) {
          saved = ` Its uncommitted changes were committed as ${commit.sha.slice(0, 10)}.`;
          await transactionWithRetry(db, (tx) =>
            appendEvent(tx, { runId: target.runId, taskId: target.taskId, payload: { type: "task.committed", attempt: attempt.number, turn: 0, ...commit, stat: head(commit.stat, 8192) } }),
          );
        }
      }
    }
    const processes = runner.hostname !== runtime.hostname ? "" : stopped.length ? ` Foreman stopped ${stopped.length} agent process(es) it left behind.` : "";
    const reason = `Runner ${runner.id} stopped answering while attempt ${attempt.number} was running (last seen ${runner.lastSeenAt.toISOString()}); runner ${self.runnerId} took the work over.${processes}${saved} The attempt continues on its thread, on whichever runner takes it.`;
    if (await handBack(db, boss, target, reason)) taken.push({ attemptId: attempt.id, taskId: attempt.taskId, runnerId: runner.id, stopped, reason });
  }

  const unresumed = await db
    .select({ taskId: tasks.id })
    .from(tasks)
    .innerJoin(runs, eq(runs.id, tasks.runId))
    .innerJoin(attempts, and(eq(attempts.taskId, tasks.id), eq(attempts.number, tasks.currentAttempt)))
    .where(
      and(
        eq(runs.status, "running"),
        eq(tasks.status, "running"),
        eq(attempts.status, "interrupted"),
        lt(attempts.endedAt, sql`now() - make_interval(secs => ${RESUME_BACKSTOP_MS / 1000})`),
      ),
    );
  for (const { taskId } of unresumed) await startTaskAttempt(db, boss, taskId, { resume: true });
  return taken;
}
