"use client";

import type { ClientTask, ClientTaskDetail } from "@/components/run/snapshot";
import type { CommentCategory } from "@/lib/github/status";
import { assertNever } from "@/lib/shared/assert-never";
import { ciLabel, pullRequestLine, pullRequestTone, reviewLabel } from "./handoff-labels";

/** Only http(s) links from stored data become anchors; anything else stays text. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function categoryTone(category: CommentCategory): string {
  switch (category) {
    case "bug":
    case "architecture":
      return "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300";
    case "test_request":
    case "unclear":
      return "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300";
    case "style":
    case "documentation":
      return "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300";
    default:
      return assertNever(category, "comment category");
  }
}

/**
 * Where the work went: a pull request when the repository is on GitHub,
 * otherwise the local branch and its start commit.
 */
export function TaskHandoff({ task, detail, github }: { task: ClientTask; detail: ClientTaskDetail | undefined; github: string | null }) {
  const pullRequest = detail?.pullRequest ?? null;
  if (pullRequest) {
    const href = safeHref(pullRequest.url);
    return (
      <div className="space-y-1 text-xs" data-testid="pull-request">
        <p className="flex flex-wrap items-center gap-2">
          {href ? (
            <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-300">
              {github ?? "GitHub"} pull request #{pullRequest.number}
            </a>
          ) : (
            <span className="font-medium">
              Pull request #{pullRequest.number} <span className="font-mono">{pullRequest.url}</span>
            </span>
          )}
          <span className={`rounded px-1.5 py-0.5 ${pullRequestTone(pullRequest)}`}>{pullRequestLine(pullRequest)}</span>
        </p>
        <p className="text-zinc-600 dark:text-zinc-400">
          <span className="font-mono">{pullRequest.headBranch}</span> → <span className="font-mono">{pullRequest.baseBranch}</span>
          {pullRequest.headSha ? <> at <span className="font-mono">{pullRequest.headSha.slice(0, 10)}</span></> : null}
          {" · "}
          {ciLabel(pullRequest.ciState) ?? "no CI checks"}
          {" · "}
          {reviewLabel(pullRequest.reviewState) ?? "no review yet"}
          {" · "}
          {pullRequest.mergeable === null ? "mergeability unknown" : pullRequest.mergeable ? "mergeable" : "has conflicts"}
          {pullRequest.syncedAt ? ` · synced ${new Date(pullRequest.syncedAt).toLocaleString()}` : ""}
        </p>
      </div>
    );
  }
  const branch = detail?.diff?.branch ?? task.branch;
  return (
    <p className="text-xs text-zinc-700 dark:text-zinc-300" data-testid="local-handoff">
      {github ? `No pull request on ${github} yet.` : "Local handoff (no GitHub repository): "}
      {branch ? (
        <>
          {github ? " Branch " : "branch "}
          <span className="font-mono">{branch}</span>
          {detail?.diff?.startSha ? (
            <>
              {" "}
              from <span className="font-mono">{detail.diff.startSha.slice(0, 10)}</span>
            </>
          ) : null}
          .
        </>
      ) : (
        " no branch yet."
      )}
    </p>
  );
}

/** Review feedback from GitHub: untrusted text, shown as text, with the manager's triage once it is done. */
export function ReviewComments({ comments }: { comments: ClientTaskDetail["reviewComments"] }) {
  if (comments.length === 0) return <p className="text-xs text-zinc-600 dark:text-zinc-400">No review comments.</p>;
  return (
    <ol className="space-y-2" data-testid="review-comments">
      {comments.map((comment) => {
        const href = safeHref(comment.url);
        return (
          <li key={comment.id} className="space-y-1 rounded-md border border-zinc-200 p-2 text-xs dark:border-zinc-800" data-category={comment.category ?? ""}>
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{comment.author}</span>
              <span className="text-zinc-600 dark:text-zinc-400">{comment.kind.replace("_", " ")}</span>
              {comment.path ? (
                <span className="font-mono text-zinc-600 dark:text-zinc-400">
                  {comment.path}
                  {comment.line ? `:${comment.line}` : ""}
                </span>
              ) : null}
              {comment.category ? (
                <span className={`rounded px-1.5 py-0.5 ${categoryTone(comment.category)}`}>{comment.category.replace("_", " ")}</span>
              ) : (
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">not triaged yet</span>
              )}
              {comment.handledAt ? <span className="text-emerald-800 dark:text-emerald-300">handled</span> : null}
              {href ? (
                <a href={href} target="_blank" rel="noopener noreferrer" className="text-sky-700 underline underline-offset-2 dark:text-sky-300">
                  on GitHub
                </a>
              ) : null}
            </p>
            <p tabIndex={0} className="max-h-48 overflow-auto whitespace-pre-wrap break-words">
              {comment.body}
            </p>
            {comment.triageAction ? <p className="text-zinc-600 dark:text-zinc-400">Decision: {comment.triageAction}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}
