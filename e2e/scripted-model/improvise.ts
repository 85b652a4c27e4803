import type { Plan, PlanTask, ScopeReview } from "../../lib/plans/schema";
import type { WorkerReport } from "../../lib/reports/worker-report";
import type { Position } from "./conversation";
import type { ScriptedResponse } from "./scenario";

/**
 * The demo's stand-in for a model where no scenario marker matches (a scope a
 * person typed, a goal they edited): it reads Foreman's own prompts and answers
 * every step of the loop, so every button of `npm run demo` can be tried. The
 * manager plans one task per item of the scope; each worker makes a real, small
 * change inside its declared scope (a note that says it is scripted), which
 * Foreman then verifies like any other. Pure: the answer is read off the request.
 */

export const IMPROVISED_SCENARIO = "improvised";
/** Every text the improviser writes says it is scripted. */
export const SCRIPTED_LABEL = "Scripted demo";

const respond = (value: unknown): ScriptedResponse => ({ items: [{ type: "json", value }], faults: [], delayMs: 0, itemDelayMs: 0 });
const exec = (cmd: string): ScriptedResponse => ({ items: [{ type: "exec", cmd }], faults: [], delayMs: 0, itemDelayMs: 0 });

/** The answer to a request no scenario claimed, or null when the prompt is not one of Foreman's. */
export function improvise(position: Position): ScriptedResponse | null {
  const first = position.prompts[0] ?? "";
  const latest = position.prompts.at(-1) ?? "";
  if (first.startsWith("You are a Foreman worker.")) return workerStep(first, position.response);
  if (first.includes("A person pasted this work scope")) {
    if (position.response > 0) return null;
    return managerAnswer(position.prompts, latest);
  }
  if (first.startsWith("Review the work of task")) {
    return position.response === 0
      ? respond({ verdict: "approve", sourcesChecked: [], unsupportedClaims: [], editorialIssues: [], summary: `${SCRIPTED_LABEL} review: the note is in place.` })
      : null;
  }
  if (first.includes("Triage every comment below")) return position.response === 0 ? { items: [{ type: "triage" }], faults: [], delayMs: 0, itemDelayMs: 0 } : null;
  return null;
}

/** The manager answers the newest prompt it recognises (a "could not be used" retry repeats the step before it). */
function managerAnswer(prompts: string[], latest: string): ScriptedResponse {
  const step = [...prompts].reverse().find((prompt) => /Every task of the run is finished|Now plan the work|answered your questions|A person pasted this work scope/.test(prompt)) ?? latest;
  if (step.includes("Every task of the run is finished")) return respond(summary(step));
  if (step.includes("Now plan the work")) {
    const revision = prompts.filter((prompt) => prompt.includes("Now plan the work")).length;
    return respond(planFor(readQuoted(prompts[0]!, "SCOPE") ?? "", readQuoted(step, "COMMENT"), revision));
  }
  const review: ScopeReview = {
    verdict: "clear",
    summary: `${SCRIPTED_LABEL} manager: this scope will be planned as one task per item; each scripted worker writes a short note, which Foreman verifies.`,
    risks: [{ severity: "low", text: "The demo's model is scripted: its workers write notes, not real code." }],
    questions: [],
    tooBroad: false,
    collisionRisks: [],
  };
  return respond(review);
}

/** The items of a scope: its list entries, else its non-heading lines, else one item for the whole. */
export function scopeItems(scope: string): string[] {
  const lines = scope
    .split("\n")
    .map((line) => line.replace(/\[scenario:[^\]]*\]/g, "").trim())
    .filter(Boolean);
  const listed = lines.map((line) => /^(?:[-*+]|\d+[.)])\s+(.+)$/.exec(line)?.[1]?.trim()).filter((item): item is string => !!item);
  const items = listed.length ? listed : lines.filter((line) => !line.startsWith("#"));
  const chosen = items.length ? items : [lines.join(" ").replace(/^#+\s*/, "") || "the scope"];
  return chosen.slice(0, 8).map((item) => item.slice(0, 160));
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 32)
      .replace(/-$/, "") || "item"
  );
}

export function planFor(scope: string, comment: string | null, revision: number): Plan {
  const items = [...scopeItems(scope), ...(comment?.trim() ? [comment.trim().split("\n")[0]!.slice(0, 160)] : [])];
  const tasks: PlanTask[] = items.map((item, index) => {
    const key = `T${index + 1}`;
    const file = `notes/${key.toLowerCase()}-${slug(item)}.md`;
    return {
      key,
      title: item.length > 70 ? `${item.slice(0, 67)}…` : item,
      kind: "code",
      goal: `${item}\n\n(${SCRIPTED_LABEL}: the scripted worker writes a short note about this item to ${file}; a real model would do the work itself.)`,
      scope: [file],
      definitionOfDone: [`${file} exists and says it was written by the ${SCRIPTED_LABEL.toLowerCase()} worker`],
      verification: { commands: [`grep -q "${SCRIPTED_LABEL}" ${file}`], manual: null },
      dependsOn: [],
    };
  });
  return {
    tasks,
    heartbeatPlan: "Watch for stalled workers.",
    verificationPlan: "Foreman checks each task's note on its branch.",
    firstAction: revision > 1 ? `Start the tasks of this revised plan (plan ${revision}${comment?.trim() ? ", with your comment as an extra task" : ""}).` : "Start every task; they do not overlap.",
  };
}

function summary(prompt: string) {
  const outcomes = (readQuoted(prompt, "OUTCOMES") ?? "").split("\n").filter(Boolean);
  return {
    summary: `${SCRIPTED_LABEL} summary: ${outcomes.length} task(s) finished. ${outcomes.map((line) => line.split(";")[0]).join(". ")}.`,
    verification: "Foreman ran each task's checks on its own branch.",
    openIssues: [],
    nextActions: ["Try a real model: run `codex login` or set OPENAI_API_KEY, then `npm start`."],
  };
}

/** The text between `<<<LABEL_n` and `LABEL_n>>>` (lib/prompts/quote.ts), or null. */
export function readQuoted(prompt: string, label: string): string | null {
  const match = new RegExp(`<<<(${label}_\\d+)\\n([\\s\\S]*?)\\n\\1>>>`).exec(prompt);
  return match ? match[2]! : null;
}

type WorkerTask = { key: string; title: string; goal: string; scope: string[]; checks: string[] };

export function readWorkPrompt(prompt: string): WorkerTask {
  const header = /^You are a Foreman worker\. Task (\S+) \([a-z]+\): (.*)$/m.exec(prompt);
  const between = (start: string, end: RegExp) => {
    const from = prompt.indexOf(start);
    if (from < 0) return "";
    const rest = prompt.slice(from + start.length);
    const stop = rest.search(end);
    return stop < 0 ? rest : rest.slice(0, stop);
  };
  const bullets = (text: string) =>
    text
      .split("\n")
      .map((line) => /^- (.+)$/.exec(line)?.[1])
      .filter((line): line is string => !!line && !line.startsWith("("));
  return {
    key: header?.[1] ?? "T?",
    title: header?.[2] ?? "",
    goal: between("Goal:\n", /\n\nChange only files/).trim(),
    scope: bullets(between("(Foreman flags anything outside them):\n", /\n\nDefinition of done:/)),
    checks: bullets(between("run them yourself first:\n", /\n(?:Manual check|\nRules:)/)),
  };
}

/** Where the worker writes: the first literal path of its scope, else a note inside its first glob's fixed directory. */
export function targetFile(task: WorkerTask): string {
  const literal = task.scope.find((glob) => !/[*?{}[\]]/.test(glob));
  if (literal) return literal;
  const glob = task.scope[0];
  const name = `scripted-${task.key.toLowerCase()}.md`;
  if (!glob) return `notes/${name}`;
  const fixed = glob.split("/").filter((segment, index, all) => all.slice(0, index + 1).every((part) => !/[*?{}[\]]/.test(part)));
  return [...fixed, name].join("/");
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** One idempotent shell command that makes the change, so a resumed or follow-up turn can run it again. */
export function changeCommand(task: WorkerTask): { file: string; cmd: string; line: string } {
  const file = targetFile(task);
  // The sample repository's own check (e2e/scripted-model/sample-repo.ts) wants this exact greeting.
  if (file === "greeting.txt" || file.endsWith("/greeting.txt")) return { file, cmd: `printf 'hello, world\\n' > ${shellQuote(file)}`, line: "hello, world" };
  const goal = task.goal.replace(/\[scenario:[^\]]*\]/g, "").split("\n")[0]!.trim().slice(0, 160) || task.title;
  const line = `${SCRIPTED_LABEL} change for ${task.key}: ${goal}`;
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
  const q = shellQuote(file);
  return { file, line, cmd: `mkdir -p ${shellQuote(dir)} && { grep -qxF ${shellQuote(line)} ${q} 2>/dev/null || printf '%s\\n' ${shellQuote(line)} >> ${q}; }` };
}

/** Every turn of a worker thread plays the same steps: change, run the checks, report. */
function workerStep(prompt: string, response: number): ScriptedResponse | null {
  const task = readWorkPrompt(prompt);
  const change = changeCommand(task);
  const steps: ScriptedResponse[] = [exec(change.cmd), ...task.checks.map((check) => exec(check))];
  if (response < steps.length) return steps[response]!;
  if (response > steps.length) return null;
  const report: WorkerReport = {
    status: "done",
    summary: `${SCRIPTED_LABEL} worker: wrote "${change.line}" to ${change.file}.`,
    filesChanged: [change.file],
    verification: [],
    handoff: { branch: null, prUrl: null, artifact: null },
    openIssues: [],
    recommendedNextAction: "merge",
  };
  return respond(report);
}
