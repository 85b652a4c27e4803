import { CI_STATES, type CiState, type PullRequestState } from "./status";

/**
 * Allowed "from" states per target PR state. Merged is final: a stale sync
 * that read `open` before a merge can never write it back. A closed PR is
 * `open` again only when a hand-off adopts it after a human reopened it.
 */
export const PULL_REQUEST_TRANSITIONS = {
  open: ["closed"],
  closed: ["open"],
  merged: ["open"],
} as const satisfies Record<PullRequestState, readonly PullRequestState[]>;

/** CI may move any way for one head (re-runs, new checks); its guard is the head SHA (./transition-ci.ts). */
export const CI_TRANSITIONS = {
  none: CI_STATES,
  pending: CI_STATES,
  success: CI_STATES,
  failure: CI_STATES,
} as const satisfies Record<CiState, readonly CiState[]>;
