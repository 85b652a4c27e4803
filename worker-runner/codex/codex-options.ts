import type { CodexOptions, SandboxMode, ThreadOptions } from "@openai/codex-sdk";
import { agentEnv, ATTEMPT_MARKER, MODEL_KEY_VARIABLE, SECRET_VARIABLES } from "./child-env";
import type { AgentRuntime } from "./runtime";

type CodexConfig = NonNullable<CodexOptions["config"]>;

/** Environment variable through which the wrapper reports codex's pid and process group. */
export const PID_FILE_VARIABLE = "FOREMAN_CODEX_PID_FILE";

/** Codex options for one turn of an attempt: the wrapper, an explicit environment, the provider. */
export function codexOptions(runtime: AgentRuntime, attemptId: string, pidFile: string): CodexOptions {
  return {
    codexPathOverride: runtime.launcher,
    env: { ...agentEnv(runtime, attemptId), [PID_FILE_VARIABLE]: pidFile },
    config: codexConfig(runtime, attemptId),
  };
}

export function codexConfig(runtime: AgentRuntime, attemptId: string): CodexConfig {
  const config: CodexConfig = {
    // update_plan is what the SDK reports as a todo_list item.
    tools: { update_plan: { enabled: true } },
    shell_environment_policy: {
      inherit: "all",
      exclude: [...SECRET_VARIABLES],
      set: { [ATTEMPT_MARKER]: attemptId },
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
