import type { ScenarioInput } from "../scenario";
import { plan, planTask, review } from "./manager";
import { FIX_GREETING_PATCH, marker, workerReport } from "./workers";

/**
 * A run that keeps producing events for half a minute: the reconnect journey
 * (e2e/reconnect.spec.ts) cuts the page's socket while it is going and counts
 * what the page shows afterwards.
 */

/** Short commands run one after another; each is two events (started, finished) about a second apart. */
export const STEADY_TICKS = 30;

export const steadyWorker: ScenarioInput = {
  name: "steady-worker",
  match: marker("steady-worker"),
  turns: [
    {
      responses: [
        ...Array.from({ length: STEADY_TICKS }, (_, index) => ({ items: [{ type: "exec" as const, cmd: `sleep 1; echo tick ${index + 1}` }] })),
        { items: [{ type: "patch", patch: FIX_GREETING_PATCH }] },
        { items: [{ type: "exec", cmd: "sh test.sh" }] },
        { items: [{ type: "json", value: workerReport() }] },
      ],
    },
  ],
};

/** Clear at once; one task for the steady worker; a summary when it is done. */
export const managerSteady: ScenarioInput = {
  name: "manager-steady",
  match: marker("manager-steady"),
  turns: [
    { responses: [{ items: [{ type: "json", value: review() }] }] },
    {
      when: "Now plan the work",
      responses: [
        {
          items: [
            {
              type: "json",
              value: plan([planTask("T1", { title: "Tick for a while, then fix the greeting", goal: `${marker("steady-worker")} Make greeting.txt say "hello, world".` })]),
            },
          ],
        },
      ],
    },
    {
      when: "Every task of the run is finished",
      responses: [
        {
          items: [
            {
              type: "json",
              value: { summary: "The greeting says hello, world.", verification: "sh test.sh passed.", openIssues: [], nextActions: [] },
            },
          ],
        },
      ],
    },
  ],
};
