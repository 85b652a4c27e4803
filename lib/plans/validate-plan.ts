export type PlanProblem =
  | { kind: "duplicate_key"; key: string }
  | { kind: "unknown_dependency"; key: string; dependsOn: string }
  | { kind: "self_dependency"; key: string }
  | { kind: "cycle"; keys: string[] }
  | { kind: "nothing_runnable" };

/**
 * A plan reaches the scheduler only when it is a proper dependency graph: unique
 * keys, dependencies that exist, no cycles, and at least one task that can
 * start now.
 */
type Node = { key: string; dependsOn: string[] };

export function validatePlan(plan: { tasks: Node[] }): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const keys = new Set<string>();
  for (const task of plan.tasks) {
    if (keys.has(task.key)) problems.push({ kind: "duplicate_key", key: task.key });
    keys.add(task.key);
  }
  for (const task of plan.tasks) {
    for (const dependency of task.dependsOn) {
      if (dependency === task.key) problems.push({ kind: "self_dependency", key: task.key });
      else if (!keys.has(dependency)) problems.push({ kind: "unknown_dependency", key: task.key, dependsOn: dependency });
    }
  }
  const cycle = findCycle(plan.tasks);
  if (cycle) problems.push({ kind: "cycle", keys: cycle });
  if (!plan.tasks.some((task) => task.dependsOn.length === 0)) problems.push({ kind: "nothing_runnable" });
  return problems;
}

/** One dependency cycle as a key path (T1 → T2 → T1), or null. */
function findCycle(tasks: Node[]): string[] | null {
  const edges = new Map(tasks.map((task) => [task.key, task.dependsOn.filter((d) => d !== task.key)]));
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (key: string): string[] | null => {
    if (state.get(key) === "done") return null;
    if (state.get(key) === "visiting") return [...path.slice(path.indexOf(key)), key];
    state.set(key, "visiting");
    path.push(key);
    for (const next of edges.get(key) ?? []) {
      if (!edges.has(next)) continue;
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(key, "done");
    return null;
  };
  for (const key of edges.keys()) {
    const found = visit(key);
    if (found) return found;
  }
  return null;
}

/** Words for the human and for the manager's second try. */
export function describePlanProblem(problem: PlanProblem): string {
  switch (problem.kind) {
    case "duplicate_key":
      return `Two tasks share the key ${problem.key}.`;
    case "unknown_dependency":
      return `${problem.key} depends on ${problem.dependsOn}, which is not in the plan.`;
    case "self_dependency":
      return `${problem.key} depends on itself.`;
    case "cycle":
      return `Dependency cycle: ${problem.keys.join(" → ")}.`;
    case "nothing_runnable":
      return "Every task waits for another; none can start.";
  }
}
