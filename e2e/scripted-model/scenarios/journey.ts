import type { ScenarioInput, ScriptedResponse } from "../scenario";
import { plan, planTask, review } from "./manager";
import { FIX_GREETING_PATCH, marker, workerReport } from "./workers";

/**
 * The whole loop in the browser (e2e/journey.spec.ts, issue #6 AC1/AC2): the
 * manager asks one question, then plans two tasks. T1 (code) sits in a long
 * command until the operator pauses the run; resumed, it fixes the greeting.
 * T2 (ui, after T1) adds a line to README.md and, being a ui task, waits for
 * a human to accept it. Both verify with a short sleep first, so the board's
 * Verifying column is on screen long enough to be seen.
 */

/** The line T2's worker adds to README.md; the spec finds it on `main` after the accept. */
export const JOURNEY_README_LINE = "The greeting says hello, world.";
/** The sleep makes the Verifying column last a few seconds. */
export const JOURNEY_VERIFY_COMMAND = "sleep 3 && sh test.sh";

const json = (value: unknown): ScriptedResponse => ({ items: [{ type: "json", value }], faults: [], delayMs: 0, itemDelayMs: 0 });

/** Keeps the worker busy in `sleep 300` until it is interrupted; repeated so a slow pause still finds it there. */
const busy: ScriptedResponse = { items: [{ type: "exec", cmd: "sleep 300 && echo finished", yieldMs: 30_000 }], faults: [], delayMs: 0, itemDelayMs: 0 };

export const journeyPausableWorker: ScenarioInput = {
  name: "journey-pausable-worker",
  match: marker("journey-pausable-worker"),
  turns: [
    { responses: [busy, busy, busy, busy, busy] },
    {
      when: "previous turn was interrupted",
      responses: [
        { items: [{ type: "patch", patch: FIX_GREETING_PATCH }] },
        { items: [{ type: "exec", cmd: "sh test.sh" }] },
        json(workerReport()),
      ],
    },
  ],
};

const README_PATCH = `*** Begin Patch\n*** Update File: README.md\n@@\n A sample repository for Foreman's scripted workers.\n+\n+${JOURNEY_README_LINE}\n*** End Patch\n`;

export const journeyReadmeWorker: ScenarioInput = {
  name: "journey-readme-worker",
  match: marker("journey-readme-worker"),
  turns: [
    {
      responses: [
        // A moment before the first answer, so the card is seen in Running.
        { items: [{ type: "exec", cmd: "cat README.md greeting.txt" }], delayMs: 1_500 },
        { items: [{ type: "patch", patch: README_PATCH }] },
        json(
          workerReport({
            summary: "README.md now mentions the greeting.",
            filesChanged: ["README.md"],
            verification: [{ command: "sh test.sh", result: "ok: greeting.txt says hello, world", passed: true }],
            recommendedNextAction: "manual_test",
          }),
        ),
      ],
    },
  ],
};

export const JOURNEY_QUESTION = "Should the README mention the greeting too?";

export const managerJourney: ScenarioInput = {
  name: "manager-journey",
  match: marker("manager-journey"),
  turns: [
    {
      responses: [
        { items: [{ type: "exec", cmd: "ls" }] },
        json(review({ verdict: "needs_input", questions: [{ id: "q1", text: JOURNEY_QUESTION, why: "It decides whether there is a second task." }] })),
      ],
    },
    { when: "answered your questions", responses: [json(review({ summary: "Fix the greeting, then mention it in the README." }))] },
    {
      when: "Now plan the work",
      responses: [
        json(
          plan([
            planTask("T1", {
              title: "Fix the greeting",
              goal: `${marker("journey-pausable-worker")} Make greeting.txt say "hello, world" so that sh test.sh passes.`,
              verification: { commands: [JOURNEY_VERIFY_COMMAND], manual: null },
            }),
            planTask("T2", {
              title: "Mention the greeting in the README",
              kind: "ui",
              goal: `${marker("journey-readme-worker")} Mention the greeting in README.md.`,
              scope: ["README.md"],
              definitionOfDone: ["README.md mentions the greeting"],
              verification: { commands: [JOURNEY_VERIFY_COMMAND], manual: "Read README.md: it mentions the greeting." },
              dependsOn: ["T1"],
            }),
          ]),
        ),
      ],
    },
    {
      when: "Every task of the run is finished",
      responses: [
        json({
          summary: "The greeting says hello, world and the README mentions it.",
          verification: "Foreman ran sh test.sh on both branches; it passed. T2 was accepted and merged into main.",
          openIssues: [],
          nextActions: [],
        }),
      ],
    },
  ],
};

export const JOURNEY_SCENARIOS: ScenarioInput[] = [managerJourney, journeyPausableWorker, journeyReadmeWorker];
