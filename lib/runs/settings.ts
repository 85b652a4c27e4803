import { z } from "zod";
import { pricesSchema } from "./costs";

/** Per-run settings (DESIGN.md §3) with the defaults a new run gets. */
export const runSettingsSchema = z
  .object({
    concurrency: z.number().int().min(1).max(32).default(4),
    heartbeatIntervalMinutes: z.number().int().min(1).max(24 * 60).default(10),
    stallTimeoutMinutes: z.number().int().min(1).max(24 * 60).default(15),
    model: z.string().trim().min(1).max(100).nullable().default(null),
    sandboxMode: z.enum(["read-only", "workspace-write"]).default("workspace-write"),
    autoApprovePlan: z.boolean().default(false),
    requireHumanAccept: z.boolean().default(false),
    draftPullRequests: z.boolean().default(true),
    followUpCap: z.number().int().min(0).max(10).default(2),
    /** CI follow-ups per task, one per failing head SHA; past this the task is blocked. */
    ciFollowUpCap: z.number().int().min(0).max(10).default(3),
    /** Merge from the browser needs an approving review unless this is set (CI must be green either way). */
    mergeWithoutApproval: z.boolean().default(false),
    retryCap: z.number().int().min(0).max(10).default(3),
    /** Follow-ups the manager may start on one task at heartbeats; past this the task stays blocked for a human. */
    managerFollowUpCap: z.number().int().min(0).max(10).default(2),
    /** Tasks the manager may add under one parent task. */
    managerNewTaskCap: z.number().int().min(0).max(10).default(2),
    /** Follow-ups and new tasks the manager may start in the whole run. */
    managerActionCap: z.number().int().min(0).max(100).default(10),
    /** New tasks one heartbeat review may add without a human; more become approvals. */
    managerNewTasksPerReview: z.number().int().min(0).max(10).default(2),
    /** Replacements of a silent worker per task; one more silence and the task is blocked. */
    stallReplacementCap: z.number().int().min(0).max(10).default(2),
    /** Model tokens (input + output) one task may spend across its attempts; then it is blocked. */
    taskTokenCap: z.number().int().min(1).default(5_000_000),
    /** Codex turns one task may take across its attempts (each turn is one or more model requests). */
    taskTurnCap: z.number().int().min(1).max(1000).default(40),
    tokenBudget: z.number().int().min(0).nullable().default(null),
    /** The model's prices, for cost estimates; null: cost unknown. */
    prices: pricesSchema.nullable().default(null),
  })
  .strict();

export type RunSettings = z.infer<typeof runSettingsSchema>;

export const defaultRunSettings = (): RunSettings => runSettingsSchema.parse({});

/** Settings stored before a setting existed read as its default. */
export const withDefaults = (stored: Partial<RunSettings>): RunSettings => ({ ...defaultRunSettings(), ...stored });

type NumberSetting = { [K in keyof RunSettings]: RunSettings[K] extends number ? K : never }[keyof RunSettings];

/** A numeric setting's bounds, read from the schema itself so a form's min and max cannot drift from the API's. */
export function settingBounds(name: NumberSetting): { min: number; max: number } {
  const field = runSettingsSchema.shape[name].unwrap();
  return { min: field.minValue ?? 0, max: field.maxValue ?? Number.MAX_SAFE_INTEGER };
}
