"use client";

import type { ClientTaskDetail } from "@/components/run/snapshot";
import { type CommandAgreement, compareReport, type FileComparison, normalizeCommand, type VerifiedCommand } from "@/lib/reports/compare-report";
import type { WorkerReport } from "@/lib/reports/worker-report";
import { assertNever } from "@/lib/shared/assert-never";
import { VERIFICATION_LABEL, verificationTone } from "./handoff-labels";

type Verification = ClientTaskDetail["verifications"][number];
type Report = ClientTaskDetail["reports"][number];

const panel = "min-w-0 space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800";
const disagreeRow = "rounded border-l-4 border-red-500 bg-red-50 pl-2 dark:bg-red-950/50";

function agreementLabel(agreement: CommandAgreement): string | null {
  switch (agreement) {
    case "agree":
      return null;
    case "disagree":
      return "Foreman disagrees";
    case "unverified":
      return "not run by Foreman";
    case "foreman_only":
      return "not in the report";
    default:
      return assertNever(agreement, "command agreement");
  }
}

function ExitCode({ command }: { command: VerifiedCommand }) {
  const ok = command.exitCode === 0 && !command.timedOut;
  return (
    <span className={`shrink-0 rounded px-1.5 font-mono ${ok ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"}`}>
      {command.timedOut ? "timed out" : command.exitCode === null ? "no exit" : `exit ${command.exitCode}`}
    </span>
  );
}

/** Output of a command, folded: plain text in a scroll box. */
export function OutputTail({ label, text }: { label: string; text: string }) {
  if (!text) return null;
  return (
    <details className="group">
      <summary className="cursor-pointer text-xs text-sky-700 dark:text-sky-300">{label}</summary>
      <pre tabIndex={0} className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-zinc-50 p-2 font-mono text-xs text-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">{text}</pre>
    </details>
  );
}

function AgreementNote({ agreement }: { agreement: CommandAgreement | undefined }) {
  const label = agreement ? agreementLabel(agreement) : null;
  if (!label) return null;
  return <span className={`block ${agreement === "disagree" ? "font-medium text-red-800 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400"}`}>{label}</span>;
}

function FileFlags({ file }: { file: FileComparison }) {
  const flags = [
    file.claimed && !file.changed ? "not changed on the branch" : null,
    file.changed && !file.claimed ? "not in the report" : null,
    file.outOfScope ? "outside the task's scope" : null,
  ].filter(Boolean);
  return flags.length ? <span className="text-red-800 dark:text-red-300"> — {flags.join(", ")}</span> : null;
}

function WorkerPanel({ report, attempt, agreements }: { report: WorkerReport; attempt: number | null; agreements: Map<string, CommandAgreement> }) {
  return (
    <section className={panel} aria-labelledby="worker-says" data-testid="worker-report">
      <h4 id="worker-says" className="text-xs font-semibold">
        The worker says{attempt ? ` (attempt ${attempt})` : ""}
      </h4>
      <p className="text-xs">
        Status: <span className="font-medium">{report.status.replace("_", " ")}</span> · next: {report.recommendedNextAction.replace("_", " ")}
      </p>
      <p className="max-h-40 overflow-auto whitespace-pre-wrap break-words text-xs">{report.summary}</p>
      <div className="space-y-1">
        <p className="text-xs font-medium">Its checks</p>
        {report.verification.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">It reports running no checks.</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {report.verification.map((claim, index) => (
              <li
                key={index}
                className={agreements.get(normalizeCommand(claim.command)) === "disagree" ? disagreeRow : ""}
                data-claim-passed={claim.passed}
                data-agreement={agreements.get(normalizeCommand(claim.command)) ?? ""}
              >
                <span className="flex items-start gap-2">
                  <code className="min-w-0 flex-1 break-all">$ {claim.command}</code>
                  <span className={`shrink-0 rounded px-1.5 ${claim.passed ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" : "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300"}`}>
                    claims {claim.passed ? "passed" : "failed"}
                  </span>
                </span>
                <AgreementNote agreement={agreements.get(normalizeCommand(claim.command))} />
                <OutputTail label="what it says it saw" text={claim.result} />
              </li>
            ))}
          </ul>
        )}
      </div>
      {report.openIssues.length ? (
        <div className="space-y-1">
          <p className="text-xs font-medium">Open issues</p>
          <ul className="list-disc space-y-0.5 pl-5 text-xs">
            {report.openIssues.map((issue, index) => (
              <li key={index} className="whitespace-pre-wrap break-words">
                {issue}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function ForemanPanel({ verification, agreements }: { verification: Verification; agreements: Map<string, CommandAgreement> }) {
  return (
    <section className={panel} aria-labelledby="foreman-saw" data-testid="foreman-verification">
      <h4 id="foreman-saw" className="flex flex-wrap items-center gap-2 text-xs font-semibold">
        Foreman saw{verification.attemptNumber ? ` (attempt ${verification.attemptNumber})` : ""}
        <span className={`rounded px-1.5 py-0.5 font-normal ${verificationTone(verification.status)}`}>{VERIFICATION_LABEL[verification.status]}</span>
      </h4>
      {verification.summary ? <p className="whitespace-pre-wrap break-words text-xs">{verification.summary}</p> : null}
      <div className="space-y-1">
        <p className="text-xs font-medium">Commands Foreman ran</p>
        {verification.commands.length === 0 ? (
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{verification.status === "running" ? "Running…" : "None: the task and repository have no verification commands."}</p>
        ) : (
          <ul className="space-y-1 text-xs">
            {verification.commands.map((command, index) => (
              <li
                key={index}
                className={agreements.get(normalizeCommand(command.command)) === "disagree" ? disagreeRow : ""}
                data-exit-code={command.exitCode ?? ""}
                data-agreement={agreements.get(normalizeCommand(command.command)) ?? ""}
              >
                <span className="flex items-start gap-2">
                  <code className="min-w-0 flex-1 break-all">$ {command.command}</code>
                  <ExitCode command={command} />
                </span>
                <span className="text-zinc-600 dark:text-zinc-400">
                  {command.source === "repository" ? "repository's verify command" : "task command"}
                  {typeof command.durationMs === "number" ? ` · ${(command.durationMs / 1000).toFixed(1)} s` : ""}
                </span>
                <AgreementNote agreement={agreements.get(normalizeCommand(command.command))} />
                <OutputTail label="output" text={command.outputTail} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/**
 * The worker's report beside Foreman's verification (side by side on wide
 * screens, stacked on phones), with every disagreement called out in words.
 */
export function ReportComparison({ reports, verifications }: { reports: Report[]; verifications: Verification[] }) {
  const latestReport = reports.find((report) => report.kind === "worker_report");
  const verification = verifications[0];
  if (!latestReport && !verification) {
    return <p className="text-zinc-600 dark:text-zinc-400">No report or verification yet.</p>;
  }
  const report = latestReport?.workerReport ?? null;
  const comparison = report && verification ? compareReport(report, verification) : null;
  const agreements = new Map(comparison?.commands.map((command) => [normalizeCommand(command.command), command.agreement]));
  return (
    <div className="space-y-3" data-testid="report-comparison">
      {verification && verification.weakening.length > 0 ? (
        <div className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="weakened-checks">
          <p className="text-xs font-semibold">The worker weakened the checks: Foreman does not count this as verified</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs">
            {verification.weakening.map((finding, index) => (
              <li key={index} className="break-words">
                <span className="font-mono">
                  {finding.file}
                  {finding.line ? `:${finding.line}` : ""}
                </span>{" "}
                {finding.text}
              </li>
            ))}
          </ul>
          {verification.startChecks ? (
            <p className="mt-1 text-xs">
              The checks as they were at the task&apos;s start:{" "}
              {verification.startChecks.map((result) => `${result.command} → ${result.timedOut ? "timed out" : `exit ${result.exitCode}`}`).join(", ")}.
            </p>
          ) : null}
        </div>
      ) : null}
      {comparison && comparison.disagreements.length > 0 ? (
        <div className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="disagreements">
          <p className="text-xs font-semibold">The worker&apos;s report and Foreman&apos;s verification disagree</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs">
            {comparison.disagreements.map((disagreement, index) => (
              <li key={index} className="break-words">
                {disagreement.text}
              </li>
            ))}
          </ul>
        </div>
      ) : comparison && verification?.status !== "running" ? (
        <p className="text-xs text-emerald-800 dark:text-emerald-300" data-testid="agreement">
          Foreman&apos;s verification agrees with the worker&apos;s report
          {verification && verification.outOfScope.length ? `, but ${verification.outOfScope.length} changed file(s) lie outside the task's scope` : ""}.
        </p>
      ) : null}
      <div className="grid gap-3 md:grid-cols-2">
        {report ? (
          <WorkerPanel report={report} attempt={latestReport?.attemptNumber ?? null} agreements={agreements} />
        ) : latestReport ? (
          <section className={panel} data-testid="worker-report">
            <h4 className="text-xs font-semibold">The worker&apos;s answer{latestReport.attemptNumber ? ` (attempt ${latestReport.attemptNumber})` : ""}</h4>
            <p className="text-xs text-red-800 dark:text-red-300">Not a valid report: {latestReport.error ?? "it did not match the WorkerReport schema"}.</p>
            <OutputTail label="what it answered" text={latestReport.raw ?? ""} />
          </section>
        ) : (
          <section className={panel} data-testid="worker-report">
            <h4 className="text-xs font-semibold">The worker says</h4>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">No report yet.</p>
          </section>
        )}
        {verification ? (
          <ForemanPanel verification={verification} agreements={agreements} />
        ) : (
          <section className={panel} data-testid="foreman-verification">
            <h4 className="text-xs font-semibold">Foreman saw</h4>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">Not verified yet.</p>
          </section>
        )}
      </div>
      {comparison && comparison.files.length > 0 ? (
        <div className="space-y-1">
          <p className="text-xs font-medium">Files: the worker&apos;s list against git</p>
          <ul className="space-y-0.5 font-mono text-xs" data-testid="file-comparison">
            {comparison.files.map((file) => (
              <li key={file.path} className={`break-all ${file.outOfScope || file.claimed !== file.changed ? disagreeRow : ""}`} data-path={file.path}>
                {file.path}
                <FileFlags file={file} />
              </li>
            ))}
          </ul>
        </div>
      ) : verification && !report && verification.changedFiles.length ? (
        <div className="space-y-1">
          <p className="text-xs font-medium">Files changed on the branch</p>
          <ul className="space-y-0.5 font-mono text-xs">
            {verification.changedFiles.map((file) => (
              <li key={file} className={`break-all ${verification.outOfScope.includes(file) ? disagreeRow : ""}`}>
                {file}
                {verification.outOfScope.includes(file) ? <span className="text-red-800 dark:text-red-300"> — outside the task&apos;s scope</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
