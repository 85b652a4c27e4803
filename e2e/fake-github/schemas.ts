import type { components } from "@octokit/openapi-types";
import { z } from "zod";

/**
 * Everything that enters the fake from outside goes through these schemas once:
 * request bodies of the GitHub API routes (what Foreman sends) and of the
 * `/_fake/...` control routes and the class API (what tests script).
 */

type Schemas = components["schemas"];

export const CHECK_STATUSES = ["queued", "in_progress", "completed"] as const satisfies readonly Schemas["check-run"]["status"][];
export const CHECK_CONCLUSIONS = [
  "success",
  "failure",
  "neutral",
  "cancelled",
  "skipped",
  "timed_out",
  "action_required",
] as const satisfies readonly NonNullable<Schemas["check-run"]["conclusion"]>[];
export const STATUS_STATES = ["error", "failure", "pending", "success"] as const;
export const REVIEW_STATES = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED"] as const;
export const MERGE_METHODS = ["merge", "squash", "rebase"] as const;

export type CheckStatus = (typeof CHECK_STATUSES)[number];
export type CheckConclusion = (typeof CHECK_CONCLUSIONS)[number];
export type StatusState = (typeof STATUS_STATES)[number];
export type ReviewState = (typeof REVIEW_STATES)[number];
export type MergeMethod = (typeof MERGE_METHODS)[number];

const login = z.string().regex(/^[A-Za-z0-9-]+(\[bot\])?$/, "a GitHub login");

export const checkOutputSchema = z.object({
  title: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  text: z.string().nullable().optional(),
});

/** A check run as a test scripts it. `conclusion` defaults to success once completed. */
export const checkRunInputSchema = z.object({
  name: z.string().min(1),
  status: z.enum(CHECK_STATUSES).default("completed"),
  conclusion: z.enum(CHECK_CONCLUSIONS).nullable().optional(),
  output: checkOutputSchema.optional(),
  detailsUrl: z.url().optional(),
});
export type CheckRunInput = z.input<typeof checkRunInputSchema>;

/**
 * A check run created for every branch tip the fake sees for the first time.
 * `sequence[n]` overrides the spec for the n-th new tip of a branch (0-based;
 * the last entry repeats), so "the first head fails, later ones pass" is
 * `{ name: "ci", sequence: [{ conclusion: "failure" }, { conclusion: "success" }] }`.
 */
export const autoCheckSchema = checkRunInputSchema.extend({
  sequence: z.array(checkRunInputSchema.omit({ name: true }).partial()).optional(),
});
export type AutoCheck = z.input<typeof autoCheckSchema>;

export const commitStatusInputSchema = z.object({
  context: z.string().min(1).default("default"),
  state: z.enum(STATUS_STATES),
  description: z.string().nullable().optional(),
  targetUrl: z.url().nullable().optional(),
});
export type CommitStatusInput = z.input<typeof commitStatusInputSchema>;

export const reviewInputSchema = z.object({
  author: login,
  state: z.enum(REVIEW_STATES),
  body: z.string().default(""),
});
export type ReviewInput = z.input<typeof reviewInputSchema>;

/** A comment on a line of the diff, or (with `inReplyTo`) a reply that takes its thread's path and line. */
export const reviewCommentInputSchema = z
  .object({
    author: login,
    path: z.string().min(1).optional(),
    line: z.number().int().positive().optional(),
    body: z.string().min(1),
    side: z.enum(["LEFT", "RIGHT"]).default("RIGHT"),
    inReplyTo: z.number().int().optional(),
    /** Ties the comment to a review added with addReview; null otherwise. */
    reviewId: z.number().int().optional(),
  })
  .refine((value) => value.inReplyTo !== undefined || (value.path !== undefined && value.line !== undefined), "path and line are required unless inReplyTo is given");
export type ReviewCommentInput = z.input<typeof reviewCommentInputSchema>;

export const issueCommentInputSchema = z.object({ author: login, body: z.string().min(1) });
export type IssueCommentInput = z.input<typeof issueCommentInputSchema>;

export const createRepoInputSchema = z
  .object({
    defaultBranch: z.string().min(1).default("main"),
    /** A local (non-bare or bare) repository whose branches and tags are pushed in. */
    seedFrom: z.string().min(1).optional(),
    /** Files for one initial commit on the default branch. */
    files: z.record(z.string(), z.string()).optional(),
    autoChecks: z.array(autoCheckSchema).optional(),
  })
  .refine((value) => !(value.seedFrom && value.files), "give seedFrom or files, not both");
export type CreateRepoInput = z.input<typeof createRepoInputSchema>;

// --- Bodies of the GitHub API routes (what Foreman sends through Octokit). ---

export const createPullBodySchema = z.object({
  title: z.string().min(1),
  head: z.string().min(1),
  base: z.string().min(1),
  body: z.string().nullish(),
  draft: z.boolean().optional(),
  maintainer_can_modify: z.boolean().optional(),
});

export const updatePullBodySchema = z.object({
  title: z.string().min(1).optional(),
  body: z.string().nullish(),
  state: z.enum(["open", "closed"]).optional(),
});

export const mergePullBodySchema = z.object({
  merge_method: z.enum(MERGE_METHODS).default("merge"),
  sha: z.string().optional(),
  commit_title: z.string().optional(),
  commit_message: z.string().optional(),
});

export const commentBodySchema = z.object({ body: z.string().min(1) });
