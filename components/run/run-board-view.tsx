"use client";

import { useMemo } from "react";
import { Board } from "@/components/board/board";
import { formatCost, formatTokens } from "@/components/board/task-card";
import { TaskDrawer } from "@/components/board/task-drawer";
import { FaviconBadge } from "@/components/ui/favicon-badge";
import { NeedsYouBadge } from "@/components/ui/needs-you-badge";
import { PhoneFold } from "@/components/ui/phone-fold";
import { RunStatusBadge } from "@/components/ui/status-badge";
import { TabTitle } from "@/components/ui/tab-title";
import { needsYouOfSnapshot, titleWithCount } from "@/lib/runs/needs-you";
import { HeartbeatTimeline } from "./heartbeat-timeline";
import { HeartbeatCountdown } from "./heartbeat-countdown";
import { AfterHydration } from "./after-hydration";
import { CardActivityContext, type EventLog, useEventLog } from "./live-stores";
import { ManagerPanel } from "./manager-panel";
import { NotifyMeButton } from "./moment-alerts";
import { RunControls } from "./run-controls";
import { RunLiveFeed } from "./run-live-feed";
import type { ClientSnapshot } from "./snapshot";
import { useNow } from "./use-now";
import { useRunLive } from "./use-run-live";
import { MissingTaskNotice } from "./missing-task-notice";
import { useTaskLink } from "./use-task-link";
import { WorkerTimeline } from "./worker-timeline";

/** Tasks past which the timelines wait for the board to be live (each task is a timeline row). */
const DEFER_TIMELINES_OVER = 50;

/**
 * The run page's live part: header, manager panel, board, worker and
 * heartbeat timelines and activity feed,
 * all fed by one snapshot in the query cache and one socket subscription.
 */
export function RunBoardView({
  initial,
  canOperate,
  shared = false,
  renderedAt,
  children,
}: {
  initial: ClientSnapshot;
  canOperate: boolean;
  /** A share-link holder's read-only view: nothing that acts, not even on this browser. */
  shared?: boolean;
  renderedAt: string;
  children?: React.ReactNode;
}) {
  const { snapshot, stream, cards, log } = useRunLive(initial);
  const now = useNow(renderedAt);
  const { openTask, open: openTaskById, close: closeTask, missingKey } = useTaskLink(snapshot.tasks);
  const { run } = snapshot;
  // Recomputed only when tasks come or go, not when a card's live line changes.
  const keySignature = JSON.stringify(snapshot.tasks.map((task) => [task.id, task.key]));
  const taskKeys = useMemo(() => new Map(JSON.parse(keySignature) as [string, string][]), [keySignature]);
  const needs = needsYouOfSnapshot(snapshot);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <p className="text-xs text-zinc-500">{run.repositoryName}</p>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="break-words text-xl font-semibold tracking-tight" data-testid="run-title">
              {run.title}
            </h1>
            <RunStatusBadge status={run.status} muted={needs.count > 0} />
            <NeedsYouBadge needs={needs} showReasons />
          </div>
          {run.status === "failed" && run.statusReason ? (
            <p className="max-w-3xl text-sm text-red-700 dark:text-red-300" data-testid="run-failure">
              Why it failed: {run.statusReason}
            </p>
          ) : null}
          <TabTitle title={titleWithCount(`${run.title} · Foreman`, needs.count)} />
          <FaviconBadge count={needs.count} />
          <RunProgress snapshot={snapshot} renderedAt={renderedAt} />
        </div>
        <div className="flex flex-wrap items-start gap-2">
          {shared ? null : <NotifyMeButton />}
          {canOperate ? <RunControls runId={run.id} status={run.status} /> : null}
        </div>
      </div>
      <ManagerPanel run={run} questions={snapshot.questions} approvals={snapshot.approvals} canOperate={canOperate} />
      {missingKey ? <MissingTaskNotice taskKey={missingKey} onDismiss={closeTask} /> : null}
      <CardActivityContext value={cards}>
        <Board tasks={snapshot.tasks} now={now} onOpen={openTaskById} />
      </CardActivityContext>
      {/* Below the board: on a big run the timelines render after the board is live, not in its HTML. */}
      <AfterHydration when={snapshot.tasks.length > DEFER_TIMELINES_OVER} placeholder={<div className="min-h-96" aria-busy="true" />}>
        {snapshot.tasks.length > 0 ? <WorkerTimeline tasks={snapshot.tasks} now={now} /> : null}
        <PhoneFold summary={`Heartbeats (${snapshot.heartbeats.length})`}>
          <HeartbeatTimeline heartbeats={snapshot.heartbeats} taskKeys={taskKeys} now={now} />
        </PhoneFold>
      </AfterHydration>
      <PhoneFold summary={<ActivitySummary log={log} />}>
        <RunLiveFeed log={log} state={stream.state} error={stream.error} />
      </PhoneFold>
      {children}
      {openTask ? (
        <TaskDrawer
          key={openTask.id}
          task={openTask}
          log={log}
          github={run.github}
          canOperate={canOperate}
          onClose={closeTask}
          onOpenTask={openTaskById}
        />
      ) : null}
    </div>
  );
}

function RunProgress({ snapshot, renderedAt }: { snapshot: ClientSnapshot; renderedAt: string }) {
  const total = snapshot.tasks.length;
  if (total === 0) return null;
  const done = snapshot.tasks.filter((task) => task.status === "done").length;
  const running = snapshot.tasks.filter((task) => task.status === "running" || task.status === "verifying").length;
  const { run } = snapshot;
  const cost = run.estimatedCostUsd;
  const tokens = formatTokens(run.tokensInput, run.tokensOutput);
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="run-progress">
      {done} / {total} done · {running} working
      {tokens ? ` · ${tokens} tokens` : ""}
      {formatCost(cost) ? ` · ${formatCost(cost)}` : ""}
      {run.honesty && run.honesty.claimed > 0 ? <span data-testid="honesty">{` · workers claimed ${run.honesty.claimed}, Foreman verified ${run.honesty.verified}`}</span> : null}
      {run.status === "running" || run.status === "paused" ? (
        <>
          {" · "}
          <HeartbeatCountdown at={run.nextHeartbeatAt} renderedAt={renderedAt} />
        </>
      ) : null}
    </p>
  );
}

/** "Activity (N events)": the one part of the page besides the feed that follows the event log. */
function ActivitySummary({ log }: { log: EventLog }) {
  return <>Activity ({useEventLog(log).length} events)</>;
}
