import type { ScenarioInput, ScriptedResponse } from "../scenario";
import { FIX_GREETING_PATCH, marker, workerReport } from "./workers";

/**
 * The hand-off loop (issue #7): a worker whose follow-ups answer CI failures,
 * review comments, a human's rejection and a merge conflict, each with a real
 * change so the branch gets a new commit; and the manager's comment triage.
 */
const report = (summary: string, files: string[]): ScriptedResponse => ({
  items: [{ type: "json", value: workerReport({ summary, filesChanged: files }) }],
  faults: [],
  delayMs: 0,
  itemDelayMs: 0,
});

/** Each follow-up writes a file of its own (a fresh value every time, so repeated follow-ups still commit). */
const touch = (file: string) => ({ type: "exec" as const, cmd: `date +%s%N >> ${file} && cat ${file}` });

export const handOffWorker: ScenarioInput = {
  name: "hand-off-worker",
  match: marker("hand-off-worker"),
  turns: [
    { responses: [{ items: [{ type: "patch", patch: FIX_GREETING_PATCH }] }, { items: [{ type: "exec", cmd: "sh test.sh" }] }, report("Fixed the greeting; sh test.sh passes.", ["greeting.txt"])] },
    { when: "CI failed on pull request", responses: [{ items: [touch("ci-fix.txt")] }, report("Fixed what CI reported (ci-fix.txt).", ["ci-fix.txt"])] },
    { when: "Reviewers commented", responses: [{ items: [touch("review-fix.txt")] }, report("Addressed the review comments (review-fix.txt).", ["review-fix.txt"])] },
    { when: "rejected your work", responses: [{ items: [touch("rework.txt")] }, report("Reworked as the reviewer asked (rework.txt).", ["rework.txt"])] },
    {
      when: "conflict markers",
      responses: [
        { items: [{ type: "exec", cmd: "printf 'hello, world\\n' > greeting.txt && sh test.sh" }] },
        report("Resolved the conflict in greeting.txt keeping hello, world.", ["greeting.txt"]),
      ],
    },
  ],
};

/** A worker that makes greeting.txt say something else (conflicts with a base that changed the same line). */
export const conflictingWorker: ScenarioInput = {
  name: "conflicting-worker",
  match: marker("conflicting-worker"),
  turns: [
    {
      responses: [
        { items: [{ type: "exec", cmd: "printf 'hello, world from the task\\n' > greeting.txt && sh test.sh" }] },
        report("greeting.txt says hello, world from the task.", ["greeting.txt"]),
      ],
    },
    {
      when: "rejected your work",
      responses: [
        { items: [{ type: "exec", cmd: "printf 'hello, world (merged)\\n' > greeting.txt && sh test.sh" }] },
        report("Merged the base in and resolved greeting.txt.", ["greeting.txt"]),
      ],
    },
    {
      when: "conflict markers",
      responses: [
        { items: [{ type: "exec", cmd: "printf 'hello, world (resolved)\\n' > greeting.txt && sh test.sh" }] },
        report("Resolved the conflict in greeting.txt.", ["greeting.txt"]),
      ],
    },
  ],
};

/** The manager's comment triage: each comment's `[category:…]` marker is its category. */
export const commentTriage: ScenarioInput = {
  name: "comment-triage",
  match: "You are Foreman's manager. Reviewers commented on pull request",
  turns: [{ responses: [{ items: [{ type: "triage" }] }] }],
};

export const HAND_OFF_SCENARIOS: ScenarioInput[] = [handOffWorker, conflictingWorker, commentTriage];
