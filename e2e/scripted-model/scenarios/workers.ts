import type { WorkerReport } from "../../../lib/reports/worker-report";
import type { ScenarioInput, ScriptedResponse } from "../scenario";

/**
 * Worker scenarios against the sample repository (../sample-repo.ts). Each is
 * selected by its marker in the task's goal, e.g. "[scenario:honest-worker]".
 */
export const marker = (name: string) => `[scenario:${name}]`;

export function workerReport(overrides: Partial<WorkerReport> = {}): WorkerReport {
  return {
    status: "done",
    summary: "Changed greeting.txt to say hello, world; sh test.sh passes.",
    filesChanged: ["greeting.txt"],
    verification: [{ command: "sh test.sh", result: "ok: greeting.txt says hello, world", passed: true }],
    handoff: { branch: null, prUrl: null, artifact: null },
    openIssues: [],
    recommendedNextAction: "merge",
    ...overrides,
  };
}

const answer = (report: WorkerReport = workerReport()): ScriptedResponse => ({ items: [{ type: "json", value: report }], faults: [], delayMs: 0, itemDelayMs: 0 });

export const FIX_GREETING_PATCH = "*** Begin Patch\n*** Update File: greeting.txt\n@@\n-hello\n+hello, world\n*** End Patch\n";

/** Looks, plans, edits with apply_patch, runs the tests, reports done truthfully. */
export const honestWorker: ScenarioInput = {
  name: "honest-worker",
  match: marker("honest-worker"),
  turns: [
    {
      responses: [
        {
          items: [
            { type: "reasoning", summary: "**Reading the task** The greeting must say hello, world." },
            {
              type: "plan",
              steps: [
                { step: "Read greeting.txt", status: "in_progress" },
                { step: "Fix the greeting", status: "pending" },
                { step: "Run sh test.sh", status: "pending" },
              ],
            },
          ],
        },
        { items: [{ type: "exec", cmd: "cat greeting.txt" }] },
        { items: [{ type: "patch", patch: FIX_GREETING_PATCH }] },
        { items: [{ type: "exec", cmd: "sh test.sh" }] },
        answer(),
      ],
    },
  ],
};

/** Claims success with passing checks but changes nothing, every time it is asked. */
export const lyingWorker: ScenarioInput = {
  name: "lying-worker",
  match: marker("lying-worker"),
  turns: [
    { responses: [{ items: [{ type: "exec", cmd: "ls" }] }, answer()] },
    { responses: [answer(workerReport({ summary: "Fixed it for real this time; all tests pass." }))] },
  ],
};

/** Fixes the greeting and also edits a file outside its declared scope. */
export const outOfScopeWorker: ScenarioInput = {
  name: "out-of-scope-worker",
  match: marker("out-of-scope-worker"),
  turns: [
    {
      responses: [
        {
          items: [
            {
              type: "patch",
              patch: `${FIX_GREETING_PATCH.replace("*** End Patch\n", "")}*** Update File: docs/notes.md\n@@\n # notes\n+The greeting now says hello, world.\n*** End Patch\n`,
            },
          ],
        },
        answer(workerReport({ filesChanged: ["greeting.txt", "docs/notes.md"] })),
      ],
    },
  ],
};

/** Starts a background command, then the model never answers (no headers). */
export const hangingModel: ScenarioInput = {
  name: "hanging-model",
  match: marker("hanging-model"),
  turns: [
    {
      responses: [
        // The command outlives its 500 ms yield: it keeps running while codex waits for the model.
        { items: [{ type: "exec", cmd: "sleep 300", yieldMs: 500 }] },
        { faults: ["hang", "hang", "hang", "hang"], items: [{ type: "message", text: "never sent" }] },
      ],
    },
  ],
};

/** A long shell command (interrupted by the test), then, resumed, the real work. */
export const longCommand: ScenarioInput = {
  name: "long-command",
  match: marker("long-command"),
  turns: [
    { responses: [{ items: [{ type: "exec", cmd: "sleep 300 && echo finished", yieldMs: 30_000 }] }] },
    { responses: [{ items: [{ type: "patch", patch: FIX_GREETING_PATCH }] }, answer()] },
  ],
};

/**
 * Busy for minutes (a long command, looked at again every 30 s) until its
 * runner is killed, stopped or frozen; resumed on its thread by whichever
 * runner takes it over, it makes the change and reports.
 */
export const longHaul: ScenarioInput = {
  name: "long-haul",
  match: marker("long-haul"),
  turns: [
    { responses: Array.from({ length: 8 }, () => ({ items: [{ type: "exec" as const, cmd: "sleep 300", yieldMs: 30_000 }] })) },
    { responses: [{ items: [{ type: "patch", patch: FIX_GREETING_PATCH }] }, answer()] },
  ],
};

/**
 * An honest worker that takes its time: three short waits (the test stops
 * PostgreSQL during them), then the edit, the tests and its report.
 */
export const steadyWorker: ScenarioInput = {
  name: "steady-worker",
  match: marker("steady-worker"),
  turns: [
    {
      responses: [
        { items: [{ type: "exec", cmd: "sleep 5", yieldMs: 10_000 }] },
        { items: [{ type: "exec", cmd: "sleep 5", yieldMs: 10_000 }] },
        { items: [{ type: "exec", cmd: "sleep 5", yieldMs: 10_000 }] },
        { items: [{ type: "patch", patch: FIX_GREETING_PATCH }] },
        { items: [{ type: "exec", cmd: "sh test.sh" }] },
        answer(),
      ],
    },
  ],
};

/** Busy in a long command when its runner is killed. */
export const busyWorker: ScenarioInput = {
  name: "busy-worker",
  match: marker("busy-worker"),
  turns: [{ responses: [{ items: [{ type: "exec", cmd: "sleep 300", yieldMs: 30_000 }] }] }],
};

/**
 * Waits in its command until the test drops PARALLEL_GO into its worktree
 * (the test does so only once all four workers' commands have started: the
 * sandboxes share nothing else), then writes what it was told and who and
 * where it is.
 */
export const PARALLEL_GO = ".foreman-go";
export const parallelWorker: ScenarioInput = {
  name: "parallel-worker",
  match: marker("parallel-worker"),
  turns: [
    {
      responses: [
        {
          items: [
            {
              type: "exec",
              cmd: `n=0; until [ -s ${PARALLEL_GO} ] || [ $n -ge 900 ]; do sleep 0.1; n=$((n+1)); done; mv ${PARALLEL_GO} together.txt; pwd > owner.txt; echo "$CODEX_THREAD_ID" >> owner.txt`,
              yieldMs: 30_000,
            },
          ],
        },
        answer(workerReport({ summary: "Wrote owner.txt and together.txt.", filesChanged: ["owner.txt", "together.txt"], verification: [] })),
      ],
    },
  ],
};

/** Answers with prose instead of the WorkerReport, twice. */
export const invalidJsonWorker: ScenarioInput = {
  name: "invalid-json",
  match: marker("invalid-json"),
  turns: [
    { responses: [{ items: [{ type: "message", text: "All done! {status: done, summary: 'fixed' " }] }] },
    { responses: [{ items: [{ type: "message", text: "Sure — here it is: status=done" }] }] },
  ],
};

/** The model fails once with HTTP 500, then works: Codex's own retry should carry the turn. */
export const flakyModel: ScenarioInput = {
  name: "flaky-model",
  match: marker("flaky-model"),
  turns: [{ responses: [{ faults: ["http500"], items: [{ type: "patch", patch: FIX_GREETING_PATCH }] }, answer()] }],
};

/** The model never stops failing: HTTP 500, 429, a stream cut mid-way, again and again. */
export const failingModel: ScenarioInput = {
  name: "failing-model",
  match: marker("failing-model"),
  turns: [{ responses: [{ faults: ["http500", "http429", "cut", "http500", "http429", "cut", "http500", "http500"], items: [{ type: "message", text: "never sent" }] }] }],
};

/** Goes silent (the model never answers); once replaced, the resumed thread does the work honestly. */
export const silentWorker: ScenarioInput = {
  name: "silent-worker",
  match: marker("silent-worker"),
  turns: [
    { responses: [{ items: [{ type: "exec", cmd: "true" }], faults: ["hang"] }] },
    { when: "previous turn was interrupted", responses: honestWorker.turns[0]!.responses },
  ],
};

export const WORKER_SCENARIOS: ScenarioInput[] = [
  silentWorker,
  honestWorker,
  lyingWorker,
  outOfScopeWorker,
  hangingModel,
  longCommand,
  longHaul,
  steadyWorker,
  busyWorker,
  parallelWorker,
  invalidJsonWorker,
  flakyModel,
  failingModel,
];
