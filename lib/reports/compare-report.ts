import type { WorkerReport } from "./worker-report";

/**
 * The worker's word next to Foreman's own verification (DESIGN.md §4.6): which
 * claims Foreman confirmed, which it contradicted, which it could not check.
 * Pure, so the drawer and the tests share one rule.
 */

export type VerifiedCommand = {
  command: string;
  source: "task" | "repository";
  exitCode: number | null;
  timedOut: boolean;
  outputTail: string;
  durationMs?: number;
};

export type VerificationFacts = {
  status: "running" | "passed" | "failed" | "error";
  changedFiles: string[];
  outOfScope: string[];
  commands: VerifiedCommand[];
};

/**
 * - `agree`: both ran it with the same outcome.
 * - `disagree`: the worker says it passed and Foreman saw it fail, or the reverse.
 * - `unverified`: only the worker says it ran it (Foreman ran other commands).
 * - `foreman_only`: Foreman ran it; the worker did not mention it.
 */
export type CommandAgreement = "agree" | "disagree" | "unverified" | "foreman_only";

export type CommandComparison = {
  command: string;
  claimed: { passed: boolean; result: string } | null;
  foreman: VerifiedCommand | null;
  agreement: CommandAgreement;
};

export type FileComparison = {
  path: string;
  /** In the worker's filesChanged. */
  claimed: boolean;
  /** Changed on the branch, as Foreman computed it from git. */
  changed: boolean;
  outOfScope: boolean;
};

export type Disagreement = { subject: "status" | "command" | "file"; text: string };

export type ReportComparison = {
  status: { claimed: WorkerReport["status"]; verified: VerificationFacts["status"]; agree: boolean };
  commands: CommandComparison[];
  files: FileComparison[];
  disagreements: Disagreement[];
};

/** Same command modulo surrounding and repeated whitespace. */
export function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, " ");
}

function normalizePath(path: string): string {
  return path.trim().replace(/^\.\//, "").replace(/\/+$/, "");
}

const ranOk = (command: VerifiedCommand) => command.exitCode === 0 && !command.timedOut;

function describeOutcome(command: VerifiedCommand): string {
  if (command.timedOut) return "it timed out";
  if (command.exitCode === null) return "it did not finish";
  return `exit ${command.exitCode}`;
}

export function compareReport(report: WorkerReport, verification: VerificationFacts): ReportComparison {
  const disagreements: Disagreement[] = [];
  const finished = verification.status !== "running";

  // "done" and "needs_review" both claim the work is complete; only "done" claims it is correct.
  const statusAgree = !finished || report.status !== "done" || verification.status === "passed";
  if (!statusAgree) {
    disagreements.push({ subject: "status", text: `The worker reports done; Foreman's verification ${verification.status === "error" ? "could not run" : "failed"}.` });
  }

  const foremanByCommand = new Map<string, VerifiedCommand>();
  for (const command of verification.commands) foremanByCommand.set(normalizeCommand(command.command), command);
  const commands: CommandComparison[] = [];
  const seen = new Set<string>();
  for (const claim of report.verification) {
    const key = normalizeCommand(claim.command);
    if (seen.has(key)) continue;
    seen.add(key);
    const foreman = foremanByCommand.get(key) ?? null;
    let agreement: CommandAgreement = "unverified";
    if (foreman) {
      agreement = claim.passed === ranOk(foreman) ? "agree" : "disagree";
      if (agreement === "disagree") {
        disagreements.push({
          subject: "command",
          text: claim.passed
            ? `The worker says \`${key}\` passed; Foreman ran it and saw ${describeOutcome(foreman)}.`
            : `The worker says \`${key}\` failed; Foreman ran it and it passed.`,
        });
      }
    }
    commands.push({ command: claim.command, claimed: { passed: claim.passed, result: claim.result }, foreman, agreement });
  }
  for (const [key, foreman] of foremanByCommand) {
    if (!seen.has(key)) commands.push({ command: foreman.command, claimed: null, foreman, agreement: "foreman_only" });
  }

  const claimed = new Set(report.filesChanged.map(normalizePath).filter(Boolean));
  const changed = new Set(verification.changedFiles.map(normalizePath));
  const outside = new Set(verification.outOfScope.map(normalizePath));
  const files: FileComparison[] = [...new Set([...claimed, ...changed])]
    .sort()
    .map((path) => ({ path, claimed: claimed.has(path), changed: changed.has(path), outOfScope: outside.has(path) }));
  if (finished) {
    const notChanged = files.filter((file) => file.claimed && !file.changed).map((file) => file.path);
    const notClaimed = files.filter((file) => file.changed && !file.claimed).map((file) => file.path);
    if (notChanged.length) disagreements.push({ subject: "file", text: `Claimed as changed but unchanged on the branch: ${notChanged.join(", ")}.` });
    if (notClaimed.length) disagreements.push({ subject: "file", text: `Changed on the branch but not in the worker's report: ${notClaimed.join(", ")}.` });
  }

  return { status: { claimed: report.status, verified: verification.status, agree: statusAgree }, commands, files, disagreements };
}
