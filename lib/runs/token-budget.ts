import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db, Queryable } from "../../db/client";
import { runs } from "../../db/schema";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import { notifyRunners, resumeRun } from "./control-run";
import { BUDGET_PAUSE_REASON, isFinalRunStatus } from "./status";
import { transitionRun } from "./transition-run";
import { byPerson } from "../auth/person-label";


const spentOf = (run: { tokensInput: number; tokensOutput: number }) => run.tokensInput + run.tokensOutput;

/**
 * A running run whose model tokens (input + output, manager and workers)
 * reach its `tokenBudget` pauses with the reason (DESIGN.md §4.8): no turn
 * starts, running turns are interrupted, and nothing is lost; a human raises
 * the budget (or lifts it) to go on.
 */
export async function pauseAtTokenBudget(tx: Queryable, runId: string): Promise<boolean> {
  const [run] = await tx
    .select({ status: runs.status, settings: runs.settings, tokensInput: runs.tokensInput, tokensOutput: runs.tokensOutput })
    .from(runs)
    .where(eq(runs.id, runId))
    .for("no key update");
  const budget = run?.settings.tokenBudget ?? null;
  if (!run || budget === null || run.status !== "running" || spentOf(run) < budget) return false;
  const reason = `${BUDGET_PAUSE_REASON}: ${spentOf(run)} of ${budget} tokens; raise the budget to continue`;
  await transitionRun(tx, runId, "paused", { reason });
  await notifyRunners(tx, { action: "interrupt", runId, reason: "paused" });
  await appendEvent(tx, { runId, payload: { type: "run.note", level: "warning", message: `The run paused: ${reason}.` } });
  return true;
}

/**
 * Sets a run's token budget (null: none). A run the budget paused resumes
 * when the new budget leaves room; a run a human paused stays paused.
 */
export async function setTokenBudget(db: Db, boss: PgBoss, runId: string, budget: number | null, by: string | null): Promise<{ resumed: boolean }> {
  const resume = await db.transaction(async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId)).for("no key update");
    if (!run) throw new AppError("not_found", "No such run.");
    if (isFinalRunStatus(run.status)) throw new AppError("state_conflict", `The run is ${run.status}.`);
    await tx.update(runs).set({ settings: { ...run.settings, tokenBudget: budget } }).where(eq(runs.id, runId));
    await appendEvent(tx, {
      runId,
      payload: { type: "run.note", level: "info", message: `Token budget set to ${budget === null ? "none" : `${budget} tokens`}${await byPerson(tx, by)} (${spentOf(run)} spent).` },
    });
    const pausedForBudget = run.status === "paused" && (run.statusReason ?? "").startsWith(BUDGET_PAUSE_REASON);
    return pausedForBudget && (budget === null || spentOf(run) < budget);
  });
  if (resume) await resumeRun(db, boss, runId, by);
  return { resumed: resume };
}
