"use client";

import { memo, useId, useMemo, useState } from "react";
import type { ClientTaskDetail } from "@/components/run/snapshot";
import { type DiffFile, type DiffFileStatus, type DiffLine, parseUnifiedDiff } from "@/lib/diffs/parse-unified-diff";
import { assertNever } from "@/lib/shared/assert-never";

/** Lines rendered per file before "Show more": a 1 MB diff must not freeze the drawer. */
export const DIFF_LINES_PER_PAGE = 400;
/** Files opened at first; the rest start collapsed. */
const OPEN_FILES = 8;
const OPEN_LINES = 800;

function lineClass(kind: DiffLine["kind"]): string {
  switch (kind) {
    case "add":
      return "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200";
    case "del":
      return "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200";
    case "hunk":
      return "bg-sky-50 text-sky-800 dark:bg-sky-950/60 dark:text-sky-300";
    case "meta":
      return "text-zinc-600 italic dark:text-zinc-400";
    case "context":
      return "text-zinc-800 dark:text-zinc-200";
    default:
      return assertNever(kind, "diff line kind");
  }
}

const SIGN: Record<DiffLine["kind"], string> = { add: "+", del: "−", context: " ", hunk: "", meta: "" };

const STATUS_LABEL: Record<DiffFileStatus, string> = { added: "added", deleted: "deleted", renamed: "renamed", modified: "modified", binary: "binary" };

function Counts({ additions, deletions }: { additions: number; deletions: number }) {
  return (
    <span className="shrink-0 font-mono">
      <span className="text-emerald-700 dark:text-emerald-400">+{additions}</span>{" "}
      <span className="text-red-700 dark:text-red-400">−{deletions}</span>
    </span>
  );
}

/** One file: a header button that folds it, then its lines as plain text, a page at a time. */
const DiffFileView = memo(function DiffFileView({ file, anchorId, initiallyOpen }: { file: DiffFile; anchorId: string; initiallyOpen: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [shown, setShown] = useState(DIFF_LINES_PER_PAGE);
  const bodyId = `${anchorId}-body`;
  const visible = file.lines.slice(0, shown);
  const hidden = file.lines.length - visible.length;
  return (
    <section id={anchorId} className="scroll-mt-4 rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="diff-file" data-path={file.path}>
      <h4 className="m-0">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen(!open)}
          className="flex w-full items-center gap-2 rounded-t-md bg-zinc-50 px-3 py-1.5 text-left font-mono text-xs outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-sky-500 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          <span aria-hidden="true" className="w-3 shrink-0">
            {open ? "▾" : "▸"}
          </span>
          <span className="min-w-0 flex-1 break-all">
            {file.oldPath ? `${file.oldPath} → ` : ""}
            {file.path}
          </span>
          {file.status !== "modified" ? <span className="shrink-0 rounded bg-zinc-200 px-1 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{STATUS_LABEL[file.status]}</span> : null}
          <Counts additions={file.additions} deletions={file.deletions} />
        </button>
      </h4>
      {open ? (
        <div id={bodyId}>
          {/* Focusable, so a keyboard can scroll long lines sideways. */}
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`Changes in ${file.path}`}>
            <div className="w-max min-w-full font-mono text-xs leading-5" role="list">
              {visible.map((line, index) => (
                <div key={index} role="listitem" className={`flex ${lineClass(line.kind)}`} data-line={line.kind}>
                  <span className="w-10 shrink-0 select-none px-1 text-right text-zinc-500 dark:text-zinc-400" aria-hidden="true">
                    {line.oldNumber ?? ""}
                  </span>
                  <span className="w-10 shrink-0 select-none px-1 text-right text-zinc-500 dark:text-zinc-400" aria-hidden="true">
                    {line.newNumber ?? ""}
                  </span>
                  <span className="w-4 shrink-0 select-none text-center" aria-hidden={line.kind === "context"}>
                    {SIGN[line.kind]}
                  </span>
                  <span className="whitespace-pre pr-3">{line.text}</span>
                </div>
              ))}
            </div>
          </div>
          {hidden > 0 ? (
            <div className="flex flex-wrap items-center gap-2 border-t border-zinc-200 px-3 py-1.5 text-xs dark:border-zinc-800">
              <span className="text-zinc-600 dark:text-zinc-400">{hidden} more line(s) not shown</span>
              <button type="button" onClick={() => setShown(shown + DIFF_LINES_PER_PAGE)} className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                Show {Math.min(hidden, DIFF_LINES_PER_PAGE)} more
              </button>
              {hidden > DIFF_LINES_PER_PAGE ? (
                <button type="button" onClick={() => setShown(file.lines.length)} className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
                  Show all
                </button>
              ) : null}
            </div>
          ) : null}
          {file.lines.length === 0 ? <p className="px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400">No line changes (mode or name only).</p> : null}
        </div>
      ) : null}
    </section>
  );
});

/**
 * The task's handoff diff: a file list with counts, then each file folded
 * open or shut. Everything is text (the diff is the agent's work, untrusted).
 */
export function DiffViewer({ diff }: { diff: NonNullable<ClientTaskDetail["diff"]> }) {
  const parsed = useMemo(() => parseUnifiedDiff(diff.raw), [diff.raw]);
  const prefix = `diff${useId().replace(/[^a-zA-Z0-9]/g, "")}`;
  /** Brings a file's header into view and gives it focus (no URL hash: the page's address stays put). */
  const jumpTo = (index: number) => {
    const header = document.getElementById(`${prefix}-file-${index}`)?.querySelector("button");
    header?.scrollIntoView({ block: "start" });
    header?.focus();
  };
  let budget = OPEN_LINES;
  const opened = parsed.files.map((file, index) => {
    const open = index < OPEN_FILES && file.lines.length <= budget;
    if (open) budget -= file.lines.length;
    return open;
  });
  return (
    <div className="space-y-2" data-testid="diff-viewer">
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {parsed.files.length} file(s) · <Counts additions={parsed.additions} deletions={parsed.deletions} />
        {diff.branch ? (
          <>
            {" "}
            · <span className="font-mono">{diff.branch}</span>
          </>
        ) : null}
        {diff.startSha ? <> from <span className="font-mono">{diff.startSha.slice(0, 10)}</span></> : null}
        {diff.attemptNumber ? ` · attempt ${diff.attemptNumber}` : ""}
      </p>
      {diff.truncated || parsed.truncated ? (
        <p role="note" className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200" data-testid="diff-truncated">
          The diff is larger than Foreman stores; only its beginning is shown. The branch has all of it.
        </p>
      ) : null}
      {parsed.files.length === 0 ? (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">No changes on the branch.</p>
      ) : (
        <>
          <ul className="max-h-48 space-y-0.5 overflow-auto font-mono text-xs" aria-label="Changed files" data-testid="diff-file-list">
            {parsed.files.map((file, index) => (
              <li key={`${file.path}-${index}`} className="flex items-center gap-2">
                <button type="button" onClick={() => jumpTo(index)} className="min-w-0 flex-1 break-all text-left text-sky-700 underline-offset-2 hover:underline dark:text-sky-300">
                  {file.path}
                </button>
                <Counts additions={file.additions} deletions={file.deletions} />
              </li>
            ))}
          </ul>
          <div className="space-y-2">
            {parsed.files.map((file, index) => (
              <DiffFileView key={`${diff.reportId}-${file.path}-${index}`} file={file} anchorId={`${prefix}-file-${index}`} initiallyOpen={opened[index]!} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
