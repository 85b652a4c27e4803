import { RequestError } from "@octokit/request-error";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { pullRequests, repositories, runs, tasks } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { AppError } from "../../lib/errors/app-error";
import { enqueueSync } from "../../lib/github/enqueue-sync";
import { recordMerge } from "../../lib/github/record-merge";
import { NO_GITHUB } from "../../lib/github/settings";
import { conflictPrompt } from "../../lib/prompts/worker";
import { head } from "../../lib/shared/cap";
import { startFollowUp } from "../../lib/tasks/start-follow-up";
import type { TaskStatus } from "../../lib/tasks/status";
import { transitionTask } from "../../lib/tasks/transition-task";
import { canTransitionTask } from "../../lib/tasks/transitions";
import { mergeDecision } from "../../lib/tasks/merge-decision";
import type { RunnerContext } from "../runner-context";
import { DirtyCheckoutError, mergeIntoBase } from "../git/merge-into-base";
import { withRepoLock } from "../git/repo-lock";
import { connectGitHub } from "../github/client";
import { rateLimitedUntil } from "../github/rate-limit";
import { ensureCheckout } from "../git/ensure-checkout";
import { removeTaskWorktree } from "../work/remove-task-worktree";
import { personName } from "../../lib/auth/person-label";

/**
 * `task.land`: a human accepted a task or asked to merge it (the web checked
 * who and whether it may; this re-checks against current state).
 * - With an open PR, "merge" merges it on GitHub (a conflict starts a
 *   follow-up that merges the base in and resolves it); "accept" marks the
 *   task done and leaves the PR to be merged there.
 * - Locally, both merge the task branch into the repository's base branch:
 *   fast-forward or a merge commit, never forced; conflicts are reported with
 *   their files and change nothing.
 */
export async function landTask(ctx: RunnerContext, input: { taskId: string; action: "accept" | "merge"; by: string | null }): Promise<string> {
  const { db } = ctx;
  const [row] = await db
    .select({ task: tasks, run: runs, repository: repositories })
    .from(tasks)
    .innerJoin(runs, eq(runs.id, tasks.runId))
    .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
    .where(eq(tasks.id, input.taskId));
  if (!row) return "no such task";
  const { task, run, repository } = row;
  // Events keep the user's id and the name people knew them by; sentences show the name.
  const person = { by: input.by, byName: await personName(db, input.by) };
  const byWhom = person.byName ? ` by ${person.byName}` : "";
  const note = (message: string, level: "info" | "warning" | "error" = "warning") =>
    appendEvent(db, { runId: run.id, taskId: task.id, payload: { type: "run.note", level, message: head(`${task.key}: ${message}`, 4000) } });

  const [pr] = await db
    .select()
    .from(pullRequests)
    .where(and(eq(pullRequests.taskId, task.id), inArray(pullRequests.state, ["open", "merged"])))
    .orderBy(desc(pullRequests.createdAt))
    .limit(1);
  const github = pr ? connectGitHub(ctx.agents?.github ?? NO_GITHUB, repository) : null;

  if (pr && github) {
    if (input.action === "accept") {
      await db.transaction((tx) => finish(tx, task, "done", `Accepted${byWhom}; PR #${pr.number} stays open to be merged on GitHub.`, person));
      return "accepted";
    }
    const decision = mergeDecision({ taskStatus: task.status, pr, mergeWithoutApproval: run.settings.mergeWithoutApproval ?? false });
    if (!decision.allowed) {
      await note(`Merge refused: ${decision.reason}`);
      return decision.reason;
    }
    try {
      const { data } = await github.octokit.pulls.merge({ owner: github.owner, repo: github.repo, pull_number: pr.number, sha: pr.headSha ?? undefined, merge_method: "merge" });
      const reason = `PR #${pr.number} merged into ${pr.baseBranch}${byWhom}.`;
      try {
        await db.transaction((tx) => recordMerge(tx, pr, { sha: data.sha, ...person, reason }));
      } catch (conflict) {
        // Race: a sync saw the merge on GitHub and recorded it first; a merge is told once.
        if (!(conflict instanceof AppError) || conflict.code !== "state_conflict") throw conflict;
        await note(`PR #${pr.number} is merged; a sync had recorded it already.`, "info");
      }
      await db.transaction((tx) => finish(tx, task, "done", reason, null));
      await removeTaskWorktree(db, task.id);
      return "merged";
    } catch (error) {
      const until = rateLimitedUntil(error);
      if (until) {
        await note(`GitHub's rate limit is reached until ${until.toISOString()}; merge again after that.`);
        return "rate limited";
      }
      if (!(error instanceof RequestError)) throw error;
      if (error.status === 409) {
        await note(`PR #${pr.number}'s head moved since it was checked; Foreman syncs it, then merge again.`);
        await enqueueSync(ctx.boss, pr.id, "heartbeat");
        return "head moved";
      }
      // 405: not mergeable. The stored `mergeable` may predate the merge that caused the conflict: ask GitHub now.
      const conflicted =
        error.status === 405 &&
        (await github.octokit.pulls.get({ owner: github.owner, repo: github.repo, pull_number: pr.number }).then(
          ({ data }) => data.mergeable === false,
          () => pr.mergeable === false,
        ));
      if (conflicted) {
        await appendEvent(db, { runId: run.id, taskId: task.id, payload: { type: "task.merge_conflict", via: "github", into: pr.baseBranch, files: [] } });
        await db.transaction((tx) =>
          startFollowUp(tx, ctx.boss, {
            taskId: task.id,
            from: ["needs_review", "verifying"],
            reason: `PR #${pr.number} conflicts with ${pr.baseBranch}: the worker merges ${pr.baseBranch} in and resolves it.`,
            followUp: { purpose: "conflict", prompt: conflictPrompt({ into: pr.baseBranch, files: [] }), mergeBase: "remote" },
          }),
        );
        return "conflict: follow-up started";
      }
      await note(`GitHub refused to merge PR #${pr.number}: ${head(error.message, 500)}`);
      return "refused";
    }
  }

  // Local hand-off: the branch goes into the base branch of the repository.
  const allowed: TaskStatus[] = input.action === "accept" ? ["needs_review"] : ["needs_review", "done"];
  if (!allowed.includes(task.status) || !task.branch) {
    await note(`Cannot ${input.action} now: the task is ${task.status.replace("_", " ")}${task.branch ? "" : " and has no branch"}.`);
    return "not allowed";
  }
  const repoPath = await ensureCheckout(ctx.agents!, repository);
  try {
    const merged = await withRepoLock(repoPath, () =>
      mergeIntoBase(repoPath, repository.baseBranch, task.branch!, `Merge ${task.branch} (${task.key}: ${head(task.title, 200)})\n\nAccepted in Foreman${byWhom}.`),
    );
    if (!merged.merged) {
      const files = merged.conflicts.slice(0, 200);
      await db.transaction(async (tx) => {
        await appendEvent(tx, { runId: run.id, taskId: task.id, payload: { type: "task.merge_conflict", via: "local", into: repository.baseBranch, files } });
        await tx
          .update(tasks)
          .set({
            holdReason: head(
              `Merging into ${repository.baseBranch} conflicts in ${files.join(", ")}. Nothing was changed. Reject it with a reason to have the worker merge ${repository.baseBranch} in and resolve the conflicts, or merge by hand.`,
              3500,
            ),
          })
          .where(eq(tasks.id, task.id));
      });
      return `conflict in ${files.join(", ")}`;
    }
    if (merged.alreadyMerged) {
      await note(`${task.branch} is already part of ${repository.baseBranch}; nothing to merge.`, "info");
    } else {
      await appendEvent(db, {
        runId: run.id,
        taskId: task.id,
        payload: { type: "task.merged", via: "local", into: repository.baseBranch, sha: merged.sha, number: null, fastForward: merged.fastForward, ...person },
      });
    }
    if (task.status !== "done") {
      const reason = `${input.action === "accept" ? "Accepted" : "Merged"}${byWhom}: ${task.branch} merged into ${repository.baseBranch} (${merged.sha.slice(0, 8)}).`;
      await db.transaction((tx) => finish(tx, task, "done", reason, input.action === "accept" ? person : null));
      await removeTaskWorktree(db, task.id);
    }
    return "merged locally";
  } catch (error) {
    if (!(error instanceof DirtyCheckoutError)) throw error;
    await note(error.message);
    await db.update(tasks).set({ holdReason: head(error.message, 3500) }).where(eq(tasks.id, task.id));
    return "dirty checkout";
  }
}

/** Moves the task on; `accepted` (who accepted it) also records the acceptance. */
async function finish(tx: Queryable, task: typeof tasks.$inferSelect, to: TaskStatus, reason: string, accepted: { by: string | null; byName: string | null } | null): Promise<void> {
  if (!canTransitionTask(task.status, to)) return;
  if (accepted) await appendEvent(tx, { runId: task.runId, taskId: task.id, payload: { type: "task.accepted", ...accepted } });
  await transitionTask(tx, task.id, to, { reason });
}
