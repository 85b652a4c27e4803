import type { CodexOptions, SandboxMode, ThreadOptions } from "@openai/codex-sdk";
import { JAIL_TMP } from "../contain/containment";
import type { Confinement } from "./places";
import { agentEnv, ATTEMPT_MARKER, MODEL_KEY_VARIABLE, SECRET_VARIABLES } from "./child-env";
import type { AgentRuntime } from "./runtime";

type CodexConfig = NonNullable<CodexOptions["config"]>;

/** Environment variable through which the wrapper reports codex's pid and process group. */
export const PID_FILE_VARIABLE = "FOREMAN_CODEX_PID_FILE";
/** Environment variable through which the wrapper gets the sandbox to start codex in (a JSON argv prefix). */
export const SANDBOX_VARIABLE = "FOREMAN_SANDBOX";
/** Environment variable through which the wrapper gets codex's memory limit (a JSON argv prefix: prlimit and its arguments). */
export const LIMIT_VARIABLE = "FOREMAN_CODEX_LIMIT";

/** Codex options for one turn: the wrapper, the confinement, an explicit environment, the provider, pinned sandbox settings. */
export function codexOptions(runtime: AgentRuntime, attemptId: string, pidFile: string, confinement: Confinement & { codexHome: string }): CodexOptions {
  return {
    codexPathOverride: runtime.launcher,
    env: {
      ...agentEnv(runtime, attemptId, confinement),
      [PID_FILE_VARIABLE]: pidFile,
      ...(confinement.prefix.length > 0 ? { [SANDBOX_VARIABLE]: JSON.stringify(confinement.prefix) } : {}),
      ...(runtime.memoryLimit.length > 0 ? { [LIMIT_VARIABLE]: JSON.stringify(runtime.memoryLimit) } : {}),
    },
    config: codexConfig(runtime, attemptId, { contained: confinement.prefix.length > 0 }),
  };
}

export function codexConfig(runtime: AgentRuntime, attemptId: string, options: { contained: boolean } = { contained: true }): CodexConfig {
  const config: CodexConfig = {
    // update_plan is what the SDK reports as a todo_list item.
    tools: { update_plan: { enabled: true } },
    shell_environment_policy: {
      inherit: "all",
      exclude: [...SECRET_VARIABLES],
      set: { [ATTEMPT_MARKER]: attemptId, ...(options.contained ? { TMPDIR: JAIL_TMP } : {}) },
    },
    // Pinned here, on the command line (the highest config layer), whatever a config file says:
    // tools write only the worktree and a private temporary directory.
    sandbox_workspace_write: {
      exclude_slash_tmp: true,
      exclude_tmpdir_env_var: true,
      writable_roots: options.contained ? [JAIL_TMP] : [],
    },
  };
  if (runtime.modelBaseUrl) {
    config.model_provider = "foreman";
    config.model_providers = {
      foreman: {
        name: "Foreman model endpoint",
        base_url: runtime.modelBaseUrl,
        wire_api: "responses",
        request_max_retries: runtime.modelRetries,
        stream_max_retries: runtime.modelRetries,
        stream_idle_timeout_ms: runtime.streamIdleTimeoutMs,
        supports_websockets: false,
        ...(runtime.apiKey ? { env_key: MODEL_KEY_VARIABLE } : {}),
      },
    };
  }
  return config;
}

/** Thread options are not remembered by a resumed thread: they are passed on every turn. */
export function threadOptions(input: { model: string | null; sandboxMode: SandboxMode; worktree: string }): ThreadOptions {
  return {
    ...(input.model ? { model: input.model } : {}),
    sandboxMode: input.sandboxMode,
    workingDirectory: input.worktree,
    skipGitRepoCheck: true,
    approvalPolicy: "never",
    networkAccessEnabled: false,
  };
}
