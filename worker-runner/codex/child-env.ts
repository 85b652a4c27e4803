import { inheritedVariables } from "../../lib/env";
import type { Confinement } from "./places";
import type { AgentRuntime } from "./runtime";

/** Marks every process started for an attempt (codex, its sandbox, its tools), to find orphans after a crash. */
export const ATTEMPT_MARKER = "FOREMAN_ATTEMPT_ID";
/** Where the model key sits in codex's environment when a custom endpoint is configured (its `env_key`). */
export const MODEL_KEY_VARIABLE = "FOREMAN_MODEL_API_KEY";
/** Key variables codex may read but its tool commands must never see. */
export const SECRET_VARIABLES = [MODEL_KEY_VARIABLE, "CODEX_API_KEY", "OPENAI_API_KEY"] as const;

const LOCALE = ["LANG", "LC_ALL", "LC_CTYPE", "TZ"] as const;

/**
 * The whole environment of a codex child (the SDK's `env` replaces, not
 * extends): locale, the confinement's PATH and HOME, the task's or run's
 * CODEX_HOME, the attempt marker and the model key — nothing else of the
 * runner's environment. The PATH holds no directory a worker can write.
 */
export function agentEnv(runtime: AgentRuntime, attemptId: string, confinement: Confinement & { codexHome: string }): Record<string, string> {
  const env: Record<string, string> = {
    ...inheritedVariables(LOCALE),
    PATH: confinement.path,
    HOME: confinement.home,
    TMPDIR: "/tmp",
    CODEX_HOME: confinement.codexHome,
    [ATTEMPT_MARKER]: attemptId,
  };
  if (runtime.apiKey) env[runtime.modelBaseUrl ? MODEL_KEY_VARIABLE : "CODEX_API_KEY"] = runtime.apiKey;
  return env;
}

/** Environment for setup scripts and verification commands: no keys, no runner configuration. */
export function commandEnv(confinement: Confinement): Record<string, string> {
  return {
    ...inheritedVariables(LOCALE),
    PATH: confinement.path,
    HOME: confinement.home,
    TMPDIR: "/tmp",
    CI: "1",
    NO_COLOR: "1",
    GIT_TERMINAL_PROMPT: "0",
  };
}
