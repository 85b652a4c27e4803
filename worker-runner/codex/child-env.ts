import os from "node:os";
import path from "node:path";
import { inheritedVariables } from "../../lib/env";
import type { AgentRuntime } from "./runtime";

/** Marks every process started for an attempt (codex, its sandbox, its tools), to find orphans after a crash. */
export const ATTEMPT_MARKER = "FOREMAN_ATTEMPT_ID";
/** Where the model key sits in codex's environment when a custom endpoint is configured (its `env_key`). */
export const MODEL_KEY_VARIABLE = "FOREMAN_MODEL_API_KEY";
/** Key variables codex may read but its tool commands must never see. */
export const SECRET_VARIABLES = [MODEL_KEY_VARIABLE, "CODEX_API_KEY", "OPENAI_API_KEY"] as const;

const INHERITED = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR"] as const;

function basePath(extraDirs: readonly string[]): string {
  const inherited = inheritedVariables(["PATH"]).PATH ?? "/usr/local/bin:/usr/bin:/bin";
  return [...extraDirs, ...inherited.split(path.delimiter).filter((dir) => dir && !extraDirs.includes(dir))].join(path.delimiter);
}

/**
 * The whole environment of a codex child (the SDK's `env` replaces, not
 * extends): PATH and locale, HOME, the runner's CODEX_HOME, the attempt marker
 * and the model key — nothing else of the runner's environment.
 */
export function agentEnv(runtime: AgentRuntime, attemptId: string): Record<string, string> {
  const env: Record<string, string> = {
    ...inheritedVariables(INHERITED),
    PATH: basePath(runtime.codex.pathDirs),
    HOME: os.homedir(),
    CODEX_HOME: runtime.codexHome,
    [ATTEMPT_MARKER]: attemptId,
  };
  if (runtime.apiKey) env[runtime.modelBaseUrl ? MODEL_KEY_VARIABLE : "CODEX_API_KEY"] = runtime.apiKey;
  return env;
}

/** Environment for setup scripts and verification commands: no keys, no runner configuration. */
export function commandEnv(runtime: AgentRuntime): Record<string, string> {
  return {
    ...inheritedVariables(INHERITED),
    PATH: basePath([]),
    HOME: os.homedir(),
    CODEX_HOME: runtime.codexHome,
    CI: "1",
    NO_COLOR: "1",
    GIT_TERMINAL_PROMPT: "0",
  };
}
