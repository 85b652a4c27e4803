import type { ScenarioInput } from "../scenario";
import { plan, planTask, review } from "./manager";
import { FIX_GREETING_PATCH, marker, workerReport } from "./workers";

/**
 * HTML where a browser could be tricked into running it: in the manager's
 * review, messages and summary, a task's title, goal and definition of done,
 * and a command whose output prints the payloads (e2e/xss.spec.ts). Each
 * payload sets `window.__xss` if it ever runs.
 */
export const XSS_PAYLOADS = {
  img: `<img src=x onerror="window.__xss=1">`,
  script: `<script>window.__xss=1</script>`,
  svg: `"><svg onload=window.__xss=1>`,
} as const;
const { img, script, svg } = XSS_PAYLOADS;

export const XSS_TEXT = {
  reviewSummary: `The scope quotes ${img} and ${script} on purpose.`,
  risk: `Attribute break-out: ${svg}`,
  managerMessage: `Looking at the scope ${svg}`,
  taskTitle: `Greet ${img}`,
  taskGoal: `${marker("xss-worker")} Make greeting.txt say "hello, world". ${script}`,
  definitionOfDone: `The page shows ${svg} as text`,
  workerMessage: `Printing the payloads ${img}`,
  /** Prints each payload on its own line: the command's output is the payload. */
  printCommand: `printf '%s\\n' '${img}' '${script}' '${svg}'`,
  reportSummary: `Fixed the greeting. ${script}`,
  runSummary: `All done ${img} ${svg}`,
} as const;

export const xssWorker: ScenarioInput = {
  name: "xss-worker",
  match: marker("xss-worker"),
  turns: [
    {
      responses: [
        // A message next to a tool call is an intermediate message: codex records it and goes on.
        { items: [{ type: "message", text: XSS_TEXT.workerMessage }, { type: "exec", cmd: XSS_TEXT.printCommand }] },
        { items: [{ type: "patch", patch: FIX_GREETING_PATCH }] },
        { items: [{ type: "exec", cmd: "sh test.sh" }] },
        { items: [{ type: "json", value: workerReport({ summary: XSS_TEXT.reportSummary }) }] },
      ],
    },
  ],
};

export const managerXss: ScenarioInput = {
  name: "manager-xss",
  match: marker("manager-xss"),
  turns: [
    {
      responses: [
        { items: [{ type: "message", text: XSS_TEXT.managerMessage }, { type: "exec", cmd: "ls" }] },
        { items: [{ type: "json", value: review({ summary: XSS_TEXT.reviewSummary, risks: [{ severity: "medium", text: XSS_TEXT.risk }] }) }] },
      ],
    },
    {
      when: "Now plan the work",
      responses: [
        {
          items: [
            {
              type: "json",
              value: plan([
                planTask("T1", {
                  title: XSS_TEXT.taskTitle,
                  goal: XSS_TEXT.taskGoal,
                  definitionOfDone: ["sh test.sh passes", XSS_TEXT.definitionOfDone],
                }),
              ]),
            },
          ],
        },
      ],
    },
    {
      when: "Every task of the run is finished",
      responses: [{ items: [{ type: "json", value: { summary: XSS_TEXT.runSummary, verification: "sh test.sh passed.", openIssues: [], nextActions: [] } }] }],
    },
  ],
};
