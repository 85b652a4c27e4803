import { z } from "zod";
import { CI_STATES, COMMENT_CATEGORIES, COMMENT_KINDS, PULL_REQUEST_STATES } from "../github/status";

/**
 * Events of the hand-off (DESIGN.md §4.7–4.9): push, pull request, CI, review
 * feedback, accept / reject / merge. Part of the one union in ./types.ts.
 * GitHub text (comments, check output) is untrusted: capped, shown as text.
 */
const text = (max = 4000) => z.string().max(max);
const count = () => z.number().int().min(0);

export const handoffEvents = [
  z.object({ type: z.literal("task.pushed"), attempt: count(), branch: text(300), sha: text(64), remote: text(500) }),
  z.object({
    type: z.literal("task.pull_request"),
    change: z.enum(["opened", "updated"]),
    number: count(),
    url: text(1000),
    state: z.enum(PULL_REQUEST_STATES),
    draft: z.boolean(),
    ciState: z.enum(CI_STATES),
    reviewState: text(40).nullable(),
    headSha: text(64).nullable(),
  }),
  z.object({
    type: z.literal("task.ci_changed"),
    number: count(),
    headSha: text(64),
    from: z.enum(CI_STATES),
    to: z.enum(CI_STATES),
    failing: z.array(z.object({ name: text(300), summary: text(1000) })).max(20),
  }),
  z.object({
    type: z.literal("task.review_feedback"),
    number: count(),
    commentId: z.uuid(),
    kind: z.enum(COMMENT_KINDS),
    author: text(200),
    category: z.enum(COMMENT_CATEGORIES),
    action: z.enum(["follow_up", "approval", "question", "none"]),
    excerpt: text(500),
  }),
  z.object({ type: z.literal("task.replied"), number: count(), commentId: z.uuid(), excerpt: text(500) }),
  /** `by` is the user's id; `byName` the name people knew them by then (absent on events from before it was kept). */
  z.object({ type: z.literal("task.accepted"), by: text(200).nullable(), byName: text(200).nullable().default(null) }),
  z.object({ type: z.literal("task.rejected"), by: text(200).nullable(), byName: text(200).nullable().default(null), reason: text() }),
  z.object({
    type: z.literal("task.merged"),
    via: z.enum(["github", "local"]),
    into: text(300),
    sha: text(64),
    number: count().nullable(),
    fastForward: z.boolean().nullable(),
    by: text(200).nullable(),
    byName: text(200).nullable().default(null),
  }),
  z.object({ type: z.literal("task.merge_conflict"), via: z.enum(["github", "local"]), into: text(300), files: z.array(text(1000)).max(200) }),
  z.object({ type: z.literal("github.rate_limited"), repository: text(200), until: text(40) }),
  z.object({ type: z.literal("github.webhook"), event: text(100), action: text(100).nullable(), deliveryId: text(200) }),
] as const;
