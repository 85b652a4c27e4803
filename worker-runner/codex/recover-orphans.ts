import { existsSync } from "node:fs";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, repositories, runners, runs } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { head } from "../../lib/shared/cap";
import { commitChanges } from "../git/commit-changes";
import { RUNNER_STALE_AFTER_MS } from "../liveness";
import { finishAttempt } from "../work/finish-attempt";
import { recordedArtifacts } from "../work/prepare-task-worktree";
import { ATTEMPT_MARKER } from "./child-env";
import { isAlive, stopMarkedProcesses } from "./process-table";
import type { AgentRuntime } from "./runtime";

export type RecoveredAttempt = { attemptId: string; taskId: string; runnerId: string; stopped: number[]; reason: string };

/**
 * Attempts left `starting`/`running` by a runner on this machine that is gone
 * (its process dead, its liveness stale, or stopped): their codex processes
 * and tool commands are stopped (found by the attempt marker), their changes
 * committed to the branch, the attempt marked `interrupted` and the task
 * `blocked` with the reason. Re-claiming the work is left to the heartbeat.
 */
export async function recoverOrphans(db: Db, runtime: AgentRuntime, self: { runnerId: string }): Promise<RecoveredAttempt[]> {
  const candidates = await db
    .select({
      attempt: attempts,
      runner: { id: runners.id, pid: runners.pid, lastSeenAt: runners.lastSeenAt, stoppedAt: runners.stoppedAt },
      envFiles: repositories.envFiles,
    })
    .from(attempts)
    .innerJoin(runners, eq(runners.id, attempts.runnerId))
    .innerJoin(runs, eq(runs.id, attempts.runId))
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(and(inArray(attempts.status, ["starting", "running"]), ne(attempts.runnerId, self.runnerId), eq(runners.hostname, runtime.hostname)));
  const recovered: RecoveredAttempt[] = [];
  for (const { attempt, runner, envFiles } of candidates) {
    const gone = runner.stoppedAt !== null || Date.now() - runner.lastSeenAt.getTime() > RUNNER_STALE_AFTER_MS || !isAlive(runner.pid);
    if (!gone) continue;
    const stopped = await stopMarkedProcesses(`${ATTEMPT_MARKER}=${attempt.id}`, { pgid: attempt.pgid, graceMs: runtime.interruptGraceMs });
    const target = { runId: attempt.runId, taskId: attempt.taskId, attemptId: attempt.id, attemptNumber: attempt.number };
    let saved = "";
    if (attempt.worktreePath && existsSync(attempt.worktreePath)) {
      const commit = await commitChanges(
        attempt.worktreePath,
        `Work left by attempt ${attempt.number} when its runner stopped\n\nCommitted by Foreman while recovering from runner ${runner.id}.`,
        [...envFiles, ...(await recordedArtifacts(db, attempt.taskId))],
      ).catch(() => null);
      if (commit) {
        saved = ` Its uncommitted changes were committed as ${commit.sha.slice(0, 10)}.`;
        await db.transaction((tx) =>
          appendEvent(tx, { runId: target.runId, taskId: target.taskId, payload: { type: "task.committed", attempt: attempt.number, turn: 0, ...commit, stat: head(commit.stat, 8192) } }),
        );
      }
    }
    const processes = stopped.length ? `stopped ${stopped.length} leftover agent process(es) (${stopped.slice(0, 10).join(", ")})` : "found no agent process left running";
    const reason = `Runner ${runner.id} stopped while attempt ${attempt.number} was running (no liveness since ${runner.lastSeenAt.toISOString()}); Foreman ${processes} and interrupted the attempt.${saved} Retry the task to continue.`;
    await finishAttempt(db, target, { attempt: "interrupted", task: "blocked", reason });
    recovered.push({ attemptId: attempt.id, taskId: attempt.taskId, runnerId: runner.id, stopped, reason });
  }
  return recovered;
}
