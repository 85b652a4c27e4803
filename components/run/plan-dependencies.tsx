import type { PlanTask } from "@/lib/plans/schema";

/** "T3 after T1, T2": the plan's dependency graph as text. */
export function PlanDependencies({ tasks }: { tasks: Pick<PlanTask, "key" | "dependsOn">[] }) {
  if (tasks.length === 0) return null;
  return (
    <div className="space-y-1">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Order</h3>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 font-mono text-xs" aria-label="Task dependencies" data-testid="dependencies">
        {tasks.map((task) => (
          <li key={task.key}>
            {task.key} {task.dependsOn.length ? `after ${task.dependsOn.join(", ")}` : "first"}
          </li>
        ))}
      </ul>
    </div>
  );
}
