import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Containment, type ContainmentSetting, detectContainment } from "../contain/containment";
import { ActiveTurns } from "./active-turns";
import { codexHomesRoot } from "./codex-home";
import { installCodexLauncher } from "./install-wrapper";
import { type CodexInstall, locateCodex } from "./locate-codex";
import { memoryLimitPrefix } from "./memory-limit";
import { type GitHubSettings, NO_GITHUB } from "../../lib/github/settings";

/** How this runner runs agents; built once at start from the environment (or by a test). */
export type AgentSettings = {
  dataDir: string;
  hostname: string;
  /** FOREMAN_MODEL; a run's own model setting wins. Null: Codex's default. */
  model: string | null;
  /** FOREMAN_MODEL_BASE_URL: a custom Responses endpoint; null: Codex's own provider and login. */
  modelBaseUrl: string | null;
  apiKey: string | null;
  /** Concurrent worker threads on this runner (FOREMAN_MAX_WORKERS). */
  maxWorkers: number;
  /** The runner's own deadline for one turn: Codex never times out a request that hangs before headers. */
  turnTimeoutMs: number;
  /** After SIGINT, how long codex gets before its process group is killed. */
  interruptGraceMs: number;
  /** Setup scripts and verification commands. */
  commandTimeoutMs: number;
  /** Idle time allowed between streamed events of a custom endpoint before Codex retries. */
  streamIdleTimeoutMs: number;
  /** Retries Codex makes against a custom endpoint, per request and per stream. */
  modelRetries: number;
  /** A turn that has heard nothing but Codex's reconnects for this long fails: "The model cannot be reached". */
  modelUnreachableMs: number;
  /** GITHUB_API_URL / GITHUB_TOKEN: where hand-offs go when a repository names GitHub. */
  github: GitHubSettings;
  /** FOREMAN_CONTAINMENT: "auto" contains every agent process (and refuses where it cannot); "off" does not. */
  containment: ContainmentSetting;
  /** FOREMAN_CODEX_MEMORY_MB: the data (heap) limit of each codex process and of each of its tools' processes. */
  codexMemoryMb: number;
};

export type AgentRuntime = AgentSettings & {
  codex: CodexInstall;
  /** How agent-written content is contained on this runner (DESIGN.md §9). */
  jail: Containment;
  /** Where the per-task and per-run CODEX_HOMEs live (see codex-home.ts). */
  codexHomes: string;
  /** Codex signs in with the user's `codex login` (no key, no custom endpoint). */
  usesUserLogin: boolean;
  /** The executable the SDK starts in place of codex. */
  launcher: string;
  /** argv prefix that starts codex under its memory limit (prlimit); empty where prlimit is missing. */
  memoryLimit: string[];
  /** Runner-private files: pid files of running turns. */
  stateDir: string;
  turns: ActiveTurns;
  /** Attempts this runner is working now (claimed, not yet finished): the rest it holds have lost their process. */
  working: Set<string>;
};

export const AGENT_DEFAULTS = {
  maxWorkers: 8,
  turnTimeoutMs: 60 * 60_000,
  interruptGraceMs: 5_000,
  commandTimeoutMs: 20 * 60_000,
  streamIdleTimeoutMs: 300_000,
  modelRetries: 2,
  modelUnreachableMs: 90_000,
  codexMemoryMb: 2048,
} as const;

export function createAgentRuntime(settings: Pick<AgentSettings, "dataDir" | "hostname"> & Partial<AgentSettings>): AgentRuntime {
  const full: AgentSettings = { model: null, modelBaseUrl: null, apiKey: null, github: NO_GITHUB, containment: "auto", ...AGENT_DEFAULTS, ...settings };
  const codex = locateCodex();
  const stateDir = path.join(full.dataDir, "runner");
  mkdirSync(path.join(stateDir, "pids"), { recursive: true });
  return {
    ...full,
    codex,
    jail: detectContainment(full.containment, [path.join(path.dirname(path.dirname(codex.binary)), "codex-resources", "bwrap")]),
    codexHomes: codexHomesRoot(full.dataDir, full.hostname),
    usesUserLogin: !full.apiKey && !full.modelBaseUrl,
    launcher: installCodexLauncher(stateDir, codex.binary),
    memoryLimit: memoryLimitPrefix(full.codexMemoryMb),
    stateDir,
    turns: new ActiveTurns(),
    working: new Set(),
  };
}
