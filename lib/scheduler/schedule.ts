import type { TaskStatus } from "../tasks/status";
import { globsOverlap, matchesGlob } from "./globs";

export type SchedulableTask = {
  key: string;
  status: TaskStatus;
  dependsOn: string[];
  /** Declared file scope (globs). */
  scope: string[];
  /** Files the task's branch actually changed so far. */
  changedFiles: string[];
  position: number;
};

export type ScheduleDecision = { start: string[]; hold: { key: string; reason: string }[] };

/** Tasks that hold their files and a worker while they do. */
const ACTIVE: readonly TaskStatus[] = ["ready", "running"];
/** Tasks whose files are still being changed or checked. */
const OWNS_FILES: readonly TaskStatus[] = ["ready", "running", "verifying"];

/**
 * Deterministic scheduling (DESIGN.md §4.4), no model involved. A waiting task
 * starts when every dependency is done, none of its globs overlaps a glob or a
 * changed file of a task that owns files, and the run is under its concurrency.
 * Otherwise it is held, with the reason in words. Earlier tasks (by position)
 * are considered first, so the order is stable.
 */
export function schedule(tasks: SchedulableTask[], concurrency: number): ScheduleDecision {
  const byKey = new Map(tasks.map((task) => [task.key, task]));
  const owners = tasks.filter((task) => OWNS_FILES.includes(task.status));
  let active = tasks.filter((task) => ACTIVE.includes(task.status)).length;
  const decision: ScheduleDecision = { start: [], hold: [] };

  const waiting = tasks.filter((task) => task.status === "waiting").sort((a, b) => a.position - b.position || a.key.localeCompare(b.key, "en", { numeric: true }));
  for (const task of waiting) {
    const pending = task.dependsOn.filter((key) => byKey.get(key)?.status !== "done");
    if (pending.length > 0) {
      decision.hold.push({ key: task.key, reason: `waits for ${pending.join(", ")}` });
      continue;
    }
    const collision = findCollision(task, owners);
    if (collision) {
      decision.hold.push({ key: task.key, reason: collision });
      continue;
    }
    if (active >= concurrency) {
      decision.hold.push({ key: task.key, reason: `waits for a free worker (${active} of ${concurrency} busy)` });
      continue;
    }
    decision.start.push(task.key);
    owners.push({ ...task, status: "ready" });
    active++;
  }
  return decision;
}

function findCollision(task: SchedulableTask, owners: SchedulableTask[]): string | null {
  for (const owner of owners) {
    for (const glob of task.scope) {
      const declared = owner.scope.find((other) => globsOverlap(glob, other));
      if (declared) return `overlaps ${glob} with ${owner.key}${declared === glob ? "" : ` (${declared})`}`;
      const touched = owner.changedFiles.find((file) => matchesGlob(file, glob));
      if (touched) return `overlaps ${glob} with ${owner.key}, which changed ${touched}`;
    }
  }
  return null;
}
