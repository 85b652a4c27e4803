import type { HeartbeatReviewDecision } from "../../../lib/heartbeats/heartbeat-review";
import type { Plan, PlanTask, ScopeReview } from "../../../lib/plans/schema";
import type { ScenarioInput, ScriptedResponse } from "../scenario";
import { FIX_GREETING_PATCH, marker, workerReport } from "./workers";

/**
 * Manager scenarios: selected by a marker in the pasted scope (the first
 * prompt of a manager thread carries the scope), e.g. "[scenario:manager-questions]".
 * The manager looks at the repository once, then answers in JSON.
 */
const look: ScriptedResponse = { items: [{ type: "exec", cmd: "ls" }], faults: [], delayMs: 0, itemDelayMs: 0 };
const json = (value: unknown): ScriptedResponse => ({ items: [{ type: "json", value }], faults: [], delayMs: 0, itemDelayMs: 0 });

export function review(overrides: Partial<ScopeReview> = {}): ScopeReview {
  return {
    verdict: "clear",
    summary: "Make the greeting say hello, world and keep the test green.",
    risks: [{ severity: "low", text: "The test script is the only check." }],
    questions: [],
    tooBroad: false,
    collisionRisks: [],
    ...overrides,
  };
}

export function planTask(key: string, overrides: Partial<PlanTask> = {}): PlanTask {
  return {
    key,
    title: `Task ${key}`,
    kind: "code",
    goal: `${marker("honest-worker")} Make greeting.txt say "hello, world" so that sh test.sh passes.`,
    scope: ["greeting.txt"],
    definitionOfDone: ["sh test.sh passes"],
    verification: { commands: ["sh test.sh"], manual: null },
    dependsOn: [],
    ...overrides,
  };
}

export function plan(tasks: PlanTask[]): Plan {
  return { tasks, heartbeatPlan: "Watch for stalled workers.", verificationPlan: "sh test.sh on every branch.", firstAction: "Start T1." };
}

const SUMMARY = json({
  summary: "The greeting now says hello, world.",
  verification: "Foreman ran sh test.sh on the branch; it passed.",
  openIssues: [],
  nextActions: ["Merge foreman branches into main."],
});
const summaryTurn = { when: "Every task of the run is finished", responses: [SUMMARY] };

const TWO_TASKS = plan([planTask("T1"), planTask("T2", { dependsOn: ["T1"], scope: ["README.md"], goal: "Mention the greeting in README.md." })]);

/** The re-plan: T2 checks its own line and no longer waits for T1. */
const REVISED_TWO_TASKS = plan([
  planTask("T1"),
  planTask("T2", {
    title: "Mention the greeting in the README (revised plan: runs alongside T1)",
    scope: ["README.md"],
    goal: "Mention the greeting in README.md.",
    verification: { commands: ['grep -q "greeting" README.md'], manual: null },
  }),
]);

/** Unclear at first: one question; clear once answered; then a two-task plan. */
export const managerQuestions: ScenarioInput = {
  name: "manager-questions",
  match: marker("manager-questions"),
  turns: [
    {
      responses: [
        look,
        json(review({ verdict: "needs_input", questions: [{ id: "q1", text: "Should the greeting end with a full stop?", why: "It changes the expected test output." }] })),
      ],
    },
    { when: "answered your questions", responses: [json(review())] },
    // "Ask for a new plan" gets a different plan (before the plan turn: a re-plan prompt also says "Now plan the work").
    { when: "The person asked for a new plan", responses: [json(REVISED_TWO_TASKS)] },
    { when: "Now plan the work", responses: [json(TWO_TASKS)] },
    summaryTurn,
  ],
};

/** Clear at once; a two-task plan. */
export const managerClear: ScenarioInput = {
  name: "manager-clear",
  match: marker("manager-clear"),
  turns: [{ responses: [look, json(review())] }, { when: "Now plan the work", responses: [json(TWO_TASKS)] }, summaryTurn],
};

/** A plan with a dependency cycle, twice: it must never reach the scheduler. */
export const managerCycle: ScenarioInput = {
  name: "manager-cycle",
  match: marker("manager-cycle"),
  turns: [
    { responses: [json(review())] },
    { when: "Now plan the work", responses: [json(plan([planTask("T1", { dependsOn: ["T2"] }), planTask("T2", { dependsOn: ["T1"] })]))] },
  ],
};

/** A plan whose scope is a glob bomb, twice: refused at validation, it must never reach the scheduler. */
export const GLOB_BOMB = `src/${"{a,b}".repeat(40)}`;
const BOMB_PLAN = json(plan([planTask("T1", { scope: ["greeting.txt", GLOB_BOMB] })]));
export const managerGlobBomb: ScenarioInput = {
  name: "manager-glob-bomb",
  match: marker("manager-glob-bomb"),
  turns: [
    { responses: [json(review())] },
    { when: "Now plan the work", responses: [BOMB_PLAN] },
    { when: "Your answer could not be used", responses: [BOMB_PLAN] },
  ],
};

/** Clear at once; one task for the hand-off worker (GitHub loop: CI, comments, merge). */
export const managerHandOff: ScenarioInput = {
  name: "manager-handoff",
  match: marker("manager-handoff"),
  turns: [
    { responses: [look, json(review())] },
    {
      when: "Now plan the work",
      responses: [json(plan([planTask("T1", { title: "Fix the greeting", goal: `${marker("hand-off-worker")} Make greeting.txt say "hello, world" so that sh test.sh passes.`, scope: ["*.txt"] })]))],
    },
    summaryTurn,
  ],
};

/**
 * Clear at once; two independent tasks whose handoffs differ: T1 fixes the
 * greeting but also edits docs/notes.md (outside its scope → needs review),
 * T2 claims a passing test while changing nothing (Foreman's check fails).
 */
export const managerReviewBoard: ScenarioInput = {
  name: "manager-review-board",
  match: marker("manager-review-board"),
  turns: [
    { responses: [json(review())] },
    {
      when: "Now plan the work",
      responses: [
        json(
          plan([
            planTask("T1", { title: "Fix the greeting", goal: `${marker("out-of-scope-worker")} Make greeting.txt say "hello, world".` }),
            planTask("T2", { title: "Claim the greeting is fixed", scope: ["README.md"], goal: `${marker("lying-worker")} Make sh test.sh pass.` }),
          ]),
        ),
      ],
    },
    summaryTurn,
  ],
};

/**
 * Heartbeat judgment (DESIGN.md §4.8). The run's scope carries the manager
 * scenario's marker (a fresh manager thread's first prompt quotes the scope);
 * every "Heartbeat review" prompt gets the same answer, so a manager that
 * insists is played by answering every heartbeat alike.
 */
export function decision(overrides: Partial<HeartbeatReviewDecision> & Pick<HeartbeatReviewDecision, "kind">): HeartbeatReviewDecision {
  return { taskKey: "T1", reason: "T1 is blocked.", goal: null, scope: [], definitionOfDone: [], verification: null, dependsOn: [], question: null, ...overrides };
}
const heartbeat = (name: string, decisions: HeartbeatReviewDecision[]): ScenarioInput => ({
  name,
  match: marker(name),
  turns: [{ when: "Heartbeat review", responses: [json({ summary: `${decisions.length} decision(s) on T1.`, decisions })] }, summaryTurn],
});
const FOLLOW_UP_GOAL = 'greeting.txt must say "hello, world": edit it (you only listed files before), then run sh test.sh.';
/** A follow-up on T1 within its scope, at every heartbeat. */
export const judgeFollowUp = heartbeat("judge-follow-up", [
  decision({ kind: "follow_up", reason: "Verification failed because greeting.txt was never edited.", goal: FOLLOW_UP_GOAL, definitionOfDone: ["sh test.sh passes"] }),
]);
/** A question for the human about the credentials the worker lacks. */
export const judgeAskHuman = heartbeat("judge-ask-human", [
  decision({ kind: "ask_human", reason: "The worker has no credentials for the payments sandbox; only a person can provide them.", question: "Can you provide PAYMENTS_API_KEY for the payments sandbox, or should T1 mock it?" }),
]);
/** A follow-up that reaches beyond T1's scope (docs/**). */
export const judgeWiden = heartbeat("judge-widen", [
  decision({ kind: "follow_up", reason: "The fix also needs a note in docs.", goal: `${FOLLOW_UP_GOAL} Also note the change in docs/notes.md.`, scope: ["greeting.txt", "docs/**"] }),
]);
/** Three new tasks under T1 in one review (within its scope). */
const newTask = (n: number) =>
  decision({
    kind: "new_task",
    reason: `Split the fix, part ${n}.`,
    goal: `${marker("honest-worker")} Part ${n}: make greeting.txt say "hello, world" so that sh test.sh passes.`,
    scope: ["greeting.txt"],
    definitionOfDone: ["sh test.sh passes"],
    verification: { commands: ["sh test.sh"], manual: null },
  });
export const judgeNewTasks = heartbeat("judge-new-tasks", [newTask(1), newTask(2), newTask(3)]);
/** Drop T1. */
export const judgeDrop = heartbeat("judge-drop", [decision({ kind: "propose_drop", reason: "T1 duplicates work already on main." })]);

/** Reports done having changed nothing; asked by the manager for a follow-up, really fixes the greeting. */
export const stuckWorker: ScenarioInput = {
  name: "stuck-worker",
  match: marker("stuck-worker"),
  turns: [
    { responses: [{ items: [{ type: "exec", cmd: "ls" }] }, json(workerReport())] },
    { when: "asks for a follow-up", responses: [{ items: [{ type: "patch", patch: FIX_GREETING_PATCH }] }, { items: [{ type: "exec", cmd: "sh test.sh" }] }, json(workerReport())] },
  ],
};
/** Reports done having changed nothing, whatever it is asked. */
export const stubbornWorker: ScenarioInput = {
  name: "stubborn-worker",
  match: marker("stubborn-worker"),
  turns: [{ responses: [{ items: [{ type: "exec", cmd: "ls" }] }, json(workerReport())] }],
};
/** Checks in blocked: it lacks credentials. */
export const credentialsWorker: ScenarioInput = {
  name: "credentials-worker",
  match: marker("credentials-worker"),
  turns: [
    {
      responses: [
        { items: [{ type: "exec", cmd: "ls" }] },
        json(workerReport({ status: "blocked", summary: "blocked: missing credentials for the payments sandbox (PAYMENTS_API_KEY is not set).", filesChanged: [], verification: [], recommendedNextAction: "wait" })),
      ],
    },
  ],
};

export const JUDGMENT_SCENARIOS: ScenarioInput[] = [judgeFollowUp, judgeAskHuman, judgeWiden, judgeDrop, judgeNewTasks, stuckWorker, stubbornWorker, credentialsWorker];

export const MANAGER_SCENARIOS: ScenarioInput[] = [managerQuestions, managerClear, managerCycle, managerGlobBomb, managerHandOff, managerReviewBoard, ...JUDGMENT_SCENARIOS];
