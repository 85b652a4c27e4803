import { z } from "zod";

/**
 * A scripted model conversation (DESIGN.md §10). A scenario answers the threads
 * whose first prompt contains its `match` marker; turn i answers the i-th user
 * prompt of the thread (a turn whose `when` occurs in the latest prompt wins),
 * and response j answers the j-th model request within that turn. Positions are
 * read from the request itself, so a resumed thread (a new codex process that
 * re-sends its history) lands on the right step with no server state.
 */

const usage = z
  .object({
    input: z.number().int().min(0),
    cached: z.number().int().min(0).default(0),
    output: z.number().int().min(0),
    reasoning: z.number().int().min(0).default(0),
  })
  .strict();

const planStep = z.object({ step: z.string(), status: z.enum(["pending", "in_progress", "completed"]) }).strict();

export const scriptedItem = z.discriminatedUnion("type", [
  /** `exec_command` (a PTY shell command); `yieldMs` is how long codex waits before returning control to the model. */
  z.object({ type: z.literal("exec"), cmd: z.string(), yieldMs: z.number().int().min(250).max(30_000).optional() }).strict(),
  /** `apply_patch`, the freeform custom tool: `*** Begin Patch` … `*** End Patch`. */
  z.object({ type: z.literal("patch"), patch: z.string() }).strict(),
  /** `update_plan`: becomes the SDK's todo_list item (needs tools.update_plan.enabled). */
  z.object({ type: z.literal("plan"), steps: z.array(planStep).min(1), explanation: z.string().optional() }).strict(),
  z.object({ type: z.literal("reasoning"), summary: z.string() }).strict(),
  /** The assistant's answer as text: free text, or deliberately broken JSON. */
  z.object({ type: z.literal("message"), text: z.string() }).strict(),
  /** The assistant's answer as JSON (structured output). */
  z.object({ type: z.literal("json"), value: z.unknown() }).strict(),
  /**
   * A CommentTriage answer read off the prompt: each `commentId:` block gets
   * the category its comment names with a `[category:…]` marker (else unclear).
   */
  z.object({ type: z.literal("triage") }).strict(),
  /** Any Responses API output item, sent as is. */
  z.object({ type: z.literal("raw"), item: z.record(z.string(), z.unknown()) }).strict(),
]);
export type ScriptedItem = z.infer<typeof scriptedItem>;

/**
 * Faults are served on the first attempts at a step, one per attempt, before
 * the step's real answer: `http500`/`http429` answer with that status, `cut`
 * sends part of the stream then drops the connection, `hang` never sends headers,
 * `mute` sends the headers and `response.created`, then nothing more.
 */
export const scriptedFault = z.enum(["http500", "http429", "cut", "hang", "mute"]);
export type ScriptedFault = z.infer<typeof scriptedFault>;

export const scriptedResponse = z
  .object({
    items: z.array(scriptedItem).min(1),
    faults: z.array(scriptedFault).default([]),
    /** Wait before the response headers. */
    delayMs: z.number().int().min(0).max(600_000).default(0),
    /** Wait between stream events ("slow"). */
    itemDelayMs: z.number().int().min(0).max(600_000).default(0),
    /**
     * Stream for this long before the items, as a model thinks aloud: a reasoning
     * item whose summary arrives in deltas spread over the time (one every
     * STREAM_DELTA_EVERY_MS), then the items. 0: the items at once.
     */
    streamMs: z.number().int().min(0).max(600_000).optional(),
    usage: usage.optional(),
  })
  .strict();
export type ScriptedResponse = z.infer<typeof scriptedResponse>;

export const scriptedTurn = z
  .object({
    /** Answer this turn when the latest user prompt contains this text. */
    when: z.string().min(1).optional(),
    responses: z.array(scriptedResponse).min(1),
  })
  .strict();
export type ScriptedTurn = z.infer<typeof scriptedTurn>;

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Text in the thread's first user prompt that selects this scenario. */
    match: z.string().min(1),
    /** Prompts past the last turn are answered by the last turn again. */
    turns: z.array(scriptedTurn).min(1),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;
/** A scenario as written by hand: defaults may be left out. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

export const DEFAULT_USAGE = { input: 1000, cached: 200, output: 50, reasoning: 10 } as const;
