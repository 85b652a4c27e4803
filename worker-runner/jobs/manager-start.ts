import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { runs, type repositories } from "../../db/schema";
import { appendEvent } from "../../lib/events/append-event";
import { transitionRun } from "../../lib/runs/transition-run";
import { modelProblem } from "../codex/model-ready";
import type { AgentRuntime } from "../codex/runtime";
import { GitError } from "../git/git";
import { ensureCheckout } from "../git/ensure-checkout";
import type { RunnerContext } from "../runner-context";

/**
 * What a review or plan job needs before the manager can think: an agent
 * runtime and a checkout of the repository. When either is missing the job
 * cannot succeed by being tried again, so it does not throw (pg-boss would
 * retry it silently while the run sat in `reviewing`): it says what to fix.
 */
export async function managerCheckout(ctx: RunnerContext, repository: typeof repositories.$inferSelect): Promise<{ cwd: string; agents: AgentRuntime } | { problem: string }> {
  if (!ctx.agents) return { problem: "This runner has no agent runtime (codex was not found). Install Foreman's dependencies on the runner (npm install), restart it, then start a new run." };
  if (ctx.agents.jail.kind === "unavailable") {
    return { problem: `The manager cannot start on this runner: ${ctx.agents.jail.reason} Fix that and restart the runner (or set FOREMAN_CONTAINMENT=off, knowing what it means), then start a new run.` };
  }
  const noModel = await modelProblem(ctx.agents);
  if (noModel) return { problem: `${noModel} Then start a new run.` };
  if (repository.path && !existsSync(repository.path)) {
    return { problem: `The repository path ${repository.path} does not exist on the runner's machine. Fix the repository's path (or restore the directory), then start a new run.` };
  }
  try {
    return { cwd: await ensureCheckout(ctx.agents, repository), agents: ctx.agents };
  } catch (error) {
    if (!(error instanceof GitError) && !(error instanceof Error && error.name === "WorktreeError")) throw error;
    const detail = error instanceof GitError ? error.stderr.trim().split("\n").filter(Boolean).at(-1) ?? error.message : error.message;
    return {
      problem: `Foreman could not clone ${repository.url ?? "the repository"} (${detail}). Check the URL and the base branch ${repository.baseBranch}, and that the runner's machine can reach it (with credentials for a private repository), then start a new run.`,
    };
  }
}

/** Fails the run with the reason as an error note and as its status reason, if it is still `from`. */
export async function failRunThatCannotStart(db: Db, runId: string, from: "reviewing" | "planning", problem: string): Promise<void> {
  await db.transaction(async (tx) => {
    // Race: the run was cancelled (or moved on) while the checkout was tried.
    const [current] = await tx.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).for("no key update");
    if (current?.status !== from) return;
    await appendEvent(tx, { runId, payload: { type: "run.note", level: "error", message: problem } });
    await transitionRun(tx, runId, "failed", { reason: problem, from: [from] });
  });
}
