import type { VerificationCommandResult } from "../../db/schema";
import type { Disagreement } from "../reports/compare-report";
import type { WorkerReport } from "../reports/worker-report";
import { head, tail } from "../shared/cap";

/** GitHub caps a PR body at 65,536 characters; stay well below. */
const BODY_MAX = 60_000;

export type PullRequestBodyInput = {
  task: { key: string; title: string; goal: string };
  report: WorkerReport | null;
  verification: {
    summary: string;
    changedFiles: readonly string[];
    outOfScope: readonly string[];
    commands: readonly VerificationCommandResult[];
    /** The commands again with the checks in their start version (null: the worker changed no check). */
    startChecks?: readonly VerificationCommandResult[] | null;
  };
  /** Where the worker's report disagrees with Foreman's record. */
  disputes?: readonly Disagreement[];
  runUrl: string;
};

/**
 * The PR body: the worker's report next to Foreman's own verification, and a
 * link back to the run. Model text goes in as text: mentions are defused so a
 * report cannot ping people, and output sits in fenced blocks.
 */
export function pullRequestBody(input: PullRequestBodyInput): string {
  const { report, verification } = input;
  const lines = [
    `Opened by Foreman for task **${input.task.key}** — [the run](${input.runUrl}).`,
    "",
    "## Summary",
    plain(report?.summary ?? "(no valid report from the worker)", 4000),
    "",
    "## Foreman's verification",
    plain(verification.summary, 500),
    "",
    ...verification.commands.map(
      (result) =>
        `- ${result.exitCode === 0 ? "✅" : "❌"} \`${code(result.command)}\` (${result.source}) → ${result.timedOut ? "timed out" : `exit ${result.exitCode}`} in ${Math.round(result.durationMs / 100) / 10} s`,
    ),
    ...(verification.commands.length === 0 ? ["- No commands to run: a human checks this change."] : []),
    ...(verification.startChecks?.length
      ? [
          "",
          "The checks as they were at the task's start, against this code:",
          ...verification.startChecks.map((result) => `- ${result.exitCode === 0 ? "✅" : "❌"} \`${code(result.command)}\` → ${result.timedOut ? "timed out" : `exit ${result.exitCode}`}`),
        ]
      : []),
    "",
    `### Files changed (${verification.changedFiles.length})`,
    ...verification.changedFiles.slice(0, 200).map((file) => `- \`${code(file)}\``),
    ...(verification.outOfScope.length ? ["", `**Outside the task's declared scope:** ${verification.outOfScope.map((file) => `\`${code(file)}\``).join(", ")}`] : []),
    "",
    ...(input.disputes?.length
      ? ["## Claims Foreman disputes", "The worker's report says otherwise than Foreman's own record:", ...input.disputes.map((entry) => `- ${plain(entry.text, 500)}`), ""]
      : []),
    "## The worker's report",
    ...(report
      ? [
          `Status: ${report.status}; next: ${report.recommendedNextAction}.`,
          ...report.verification.map((claim) => `- ${claim.passed ? "claims passed" : "claims failed"}: \`${code(claim.command)}\` — ${plain(claim.result, 300)}`),
          ...(report.openIssues.length ? ["", "Open issues:", ...report.openIssues.map((issue) => `- ${plain(issue, 500)}`)] : []),
        ]
      : ["(none)"]),
    "",
    "<details><summary>Goal given to the worker</summary>",
    "",
    fenced(head(input.task.goal, 8000)),
    "",
    "</details>",
  ];
  const failing = verification.commands.filter((result) => result.exitCode !== 0);
  if (failing.length) {
    lines.push("", "<details><summary>Output of failing commands</summary>", "");
    for (const result of failing) lines.push(`\`${code(result.command)}\``, fenced(tail(result.outputTail, 3000)), "");
    lines.push("</details>");
  }
  return head(lines.join("\n"), BODY_MAX);
}

/** One line of untrusted text: no mentions, no HTML, no markdown headings or links that ping. */
function plain(text: string, max: number): string {
  return head(text, max)
    .replace(/@(?=[A-Za-z0-9-])/g, "@\u200b")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return head(text, 300).replace(/`/g, "'").replace(/\r?\n/g, " ");
}

function fenced(text: string): string {
  const fence = "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((match) => match[0].length + 1)));
  return `${fence}text\n${text}\n${fence}`;
}
