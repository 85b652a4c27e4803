import type { PgBoss } from "pg-boss";
import type { Db } from "../db/client";
import type { AgentRuntime } from "./codex/runtime";

/** What every job of this runner is given. */
export type RunnerContext = {
  db: Db;
  boss: PgBoss;
  runnerId: string;
  signal: AbortSignal;
  /** How this runner runs Codex; jobs that run agents need it. */
  agents?: AgentRuntime;
  /** What webhook deliveries need: FOREMAN_SECRET (sealed URLs and signing secrets) and the public URL runs link to. */
  webhooks?: { secret: string; publicUrl: string };
};
