import { eq } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Queryable } from "../../db/client";
import { approvals, type HeartbeatDecision, questions, tasks } from "../../db/schema";
import type { ApprovalKind } from "../approvals/status";
import { appendEvent } from "../events/append-event";
import { AppError } from "../errors/app-error";
import type { RunSettings } from "../runs/settings";
import { head } from "../shared/cap";
import type { ManagerApprovalPayload } from "../approvals/payload";
import type { HeartbeatReview } from "./heartbeat-review";
import { addManagerTask, childrenOf, managerActionsSoFar, startManagerFollowUp, widening } from "./manager-actions";

type Outcome = "applied" | "awaiting_approval" | "refused" | "noted";


/**
 * Applies the manager's HeartbeatReview within caps (DESIGN.md §4.8). The
 * model proposes; this code decides what it may do alone:
 * - a follow-up or new task that widens a task's scope, a drop, a re-plan, and
 *   new tasks past the per-review number become approvals: nothing runs first;
 * - follow-ups are capped per task, new tasks per parent, both per run; past a
 *   cap the task stays blocked and says so;
 * - nothing is ever marked done here.
 * Each decision runs in its own savepoint: one refused decision leaves the others.
 */
export async function applyHeartbeatReview(
  tx: Queryable,
  boss: PgBoss,
  input: { runId: string; heartbeatId: string; settings: RunSettings; review: HeartbeatReview; judgedKeys: readonly string[] },
): Promise<HeartbeatDecision[]> {
  const { runId, heartbeatId, settings } = input;
  const stored: HeartbeatDecision[] = [];
  let newTasks = 0;
  for (const decision of input.review.decisions) {
    const rows = await tx.select().from(tasks).where(eq(tasks.runId, runId));
    const task = decision.taskKey ? (rows.find((row) => row.key === decision.taskKey) ?? null) : null;
    const record = async (outcome: Outcome, text: string) => {
      const reason = head(`${text} Manager's reason: ${decision.reason}`, 4000);
      stored.push({ action: `manager_${decision.kind}`, taskId: task?.id ?? null, reason, outcome, taskKey: decision.taskKey });
      await appendEvent(tx, { runId, taskId: task?.id ?? null, payload: { type: "manager.decision", heartbeatId, kind: decision.kind, taskKey: task ? task.key : null, outcome, text: head(text, 4000) } });
    };
    const approval = async (kind: ApprovalKind, text: string) => {
      const payload: ManagerApprovalPayload = { source: "heartbeat", heartbeatId, decision };
      await tx.insert(approvals).values({ runId, taskId: task?.id ?? null, kind, reason: head(`${text} Manager's reason: ${decision.reason}`, 4000), payload });
      await record("awaiting_approval", `${text} Waiting for a human's approval.`);
    };
    /** A cap reached: the blocked task says why a human must take it from here. */
    const capped = async (text: string) => {
      if (task?.status === "blocked") await tx.update(tasks).set({ holdReason: head(text, 3500) }).where(eq(tasks.id, task.id));
      await record("refused", text);
    };

    if (decision.taskKey && !task && decision.kind !== "replan" && decision.kind !== "wait") {
      await record("refused", `No task ${decision.taskKey} in this run; nothing done.`);
      continue;
    }
    switch (decision.kind) {
      case "wait":
        await record("noted", "Wait.");
        break;
      case "ask_human": {
        const text = decision.question ?? decision.reason;
        const [question] = await tx.insert(questions).values({ runId, taskId: task?.id ?? null, source: "manager", text: head(text, 4000), why: head(decision.reason, 4000) }).returning({ id: questions.id });
        await appendEvent(tx, { runId, taskId: task?.id ?? null, payload: { type: "question.asked", questionId: question!.id, text: head(text, 4000) } });
        await record("applied", `Asked a human: ${text}`);
        break;
      }
      case "propose_drop":
        if (!task) {
          await record("refused", "A drop names no task; nothing done.");
          break;
        }
        await approval("drop_task", `The manager proposes to drop ${task.key}.`);
        break;
      case "replan":
        await approval("replan", "The manager proposes to re-plan the run.");
        break;
      case "follow_up": {
        if (!task) {
          await record("refused", "A follow-up names no task; nothing done.");
          break;
        }
        const wider = widening(task.scope, decision.scope);
        if (wider.length > 0) {
          await approval("scope_widening", `The manager's follow-up on ${task.key} would widen its scope to ${wider.join(", ")}.`);
          break;
        }
        if (task.managerFollowUps >= settings.managerFollowUpCap) {
          await capped(`The manager asked for another follow-up on ${task.key}, but it has had ${task.managerFollowUps} of ${settings.managerFollowUpCap}: a human decides what happens next.`);
          break;
        }
        const done = await managerActionsSoFar(tx, runId);
        if (done >= settings.managerActionCap) {
          await capped(`The manager asked for a follow-up on ${task.key}, but it has started ${done} of the run's ${settings.managerActionCap} follow-ups and tasks: a human decides what happens next.`);
          break;
        }
        try {
          const { attempt } = await inSavepoint(tx, (sp) => startManagerFollowUp(sp, boss, task, decision));
          await record("applied", `Follow-up ${task.managerFollowUps + 1} of ${settings.managerFollowUpCap} on ${task.key}: attempt ${attempt} continues its thread.`);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          await record("refused", `The follow-up on ${task.key} could not start: ${error.message}`);
        }
        break;
      }
      case "new_task": {
        if (!task) {
          await record("refused", "A new task names no parent task; nothing done.");
          break;
        }
        const problem = !decision.goal
          ? "it has no goal"
          : decision.scope.length === 0
            ? "it declares no scope"
            : (decision.dependsOn.find((key) => !rows.some((row) => row.key === key)) ?? null);
        if (problem) {
          await record("refused", `The new task under ${task.key} was not added: ${problem.startsWith("it ") ? problem : `it depends on ${problem}, which is no task of this run`}.`);
          break;
        }
        const wider = widening(task.scope, decision.scope);
        if (wider.length > 0) {
          await approval("scope_widening", `The manager's new task under ${task.key} reaches beyond its scope: ${wider.join(", ")}.`);
          break;
        }
        const children = await childrenOf(tx, task.id);
        if (children >= settings.managerNewTaskCap) {
          await capped(`The manager asked for another task under ${task.key}, but it already has ${children} of ${settings.managerNewTaskCap}: a human decides what happens next.`);
          break;
        }
        const done = await managerActionsSoFar(tx, runId);
        if (done >= settings.managerActionCap) {
          await capped(`The manager asked for a new task under ${task.key}, but it has started ${done} of the run's ${settings.managerActionCap} follow-ups and tasks: a human decides what happens next.`);
          break;
        }
        if (newTasks >= settings.managerNewTasksPerReview) {
          await approval("new_task", `The manager adds more than ${settings.managerNewTasksPerReview} task(s) in one review.`);
          break;
        }
        const added = await addManagerTask(tx, boss, runId, task, decision);
        newTasks++;
        await record("applied", `Added ${added.key} under ${task.key}.`);
        break;
      }
    }
  }
  return stored;
}

/** Runs `work` in a savepoint of `tx`: a refused step rolls back alone. */
async function inSavepoint<T>(tx: Queryable, work: (sp: Queryable) => Promise<T>): Promise<T> {
  return tx.transaction((sp) => work(sp));
}
