import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The process environment, parsed once (DESIGN.md §7). Nothing else reads
 * `process.env`: import `env()` instead.
 */

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = (what: string) =>
  optionalText.refine((value) => value === undefined || URL.canParse(value), {
    message: `must be a full URL such as ${what}`,
  });

const port = z
  .string()
  .trim()
  .regex(/^\d+$/, { message: "must be a whole number from 1 to 65535" })
  .transform(Number)
  .refine((value) => value >= 1 && value <= 65535, { message: "must be a whole number from 1 to 65535" });

const positiveInt = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number from 1 to ${max}` })
    .transform(Number)
    .refine((value) => value >= 1 && value <= max, { message: `must be a whole number from 1 to ${max}` });

// Tools a worker runs start under the same limit as codex, and Node.js reserves ~600 MB of data to start.
const CODEX_MEMORY_MESSAGE = "must be a whole number of megabytes from 1024 to 1048576 (Node.js alone needs about 600 MB of data reservations to start)";

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalText.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    { message: "must start with postgres:// or postgresql://" },
  ),
  FOREMAN_DATA_DIR: z.string().trim().min(1).default("./.foreman"),
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  PORT: port.default(3000),
  FOREMAN_PUBLIC_URL: optionalUrl("http://127.0.0.1:3000"),
  FOREMAN_SECRET: optionalText.refine((value) => value === undefined || value.length >= 32, {
    message: "must be at least 32 characters (e.g. openssl rand -hex 32)",
  }),
  FOREMAN_MODEL_BASE_URL: optionalUrl("http://127.0.0.1:8080/v1"),
  FOREMAN_MODEL: optionalText,
  // Runner only (RUNNER_ONLY_VARIABLES): the web process never receives these.
  OPENAI_API_KEY: optionalText,
  CODEX_API_KEY: optionalText,
  GITHUB_TOKEN: optionalText,
  GITHUB_API_URL: optionalUrl("https://api.github.com").default("https://api.github.com"),
  GITHUB_WEBHOOK_SECRET: optionalText,
  FOREMAN_MAX_WORKERS: positiveInt(64).default(8),
  FOREMAN_CODEX_MEMORY_MB: z
    .string()
    .trim()
    .regex(/^\d+$/, { message: CODEX_MEMORY_MESSAGE })
    .transform(Number)
    .refine((value) => value >= 1024 && value <= 1_048_576, { message: CODEX_MEMORY_MESSAGE })
    .default(2048),
  FOREMAN_CONTAINMENT: z.enum(["auto", "off"], { message: 'must be "auto" (contain workers; refuse to start them where the host cannot) or "off"' }).default("auto"),
  // Set by `npm run demo`: the model is the scripted one, and the UI says so.
  FOREMAN_DEMO: z.enum(["0", "1"]).default("0"),
  // Set by `npm start` for its children: they exit when the supervisor is gone.
  FOREMAN_SUPERVISOR_PID: positiveInt(2 ** 31).optional(),
  // Set by `npm start` when it restarts a child that crashed: what happened, for the runner to show.
  FOREMAN_RESTART_NOTE: z.string().max(500).optional(),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  secret: string;
  modelBaseUrl: string | undefined;
  model: string | undefined;
  openaiApiKey: string | undefined;
  codexApiKey: string | undefined;
  githubToken: string | undefined;
  githubApiUrl: string;
  githubWebhookSecret: string | undefined;
  maxWorkers: number;
  /** The data (heap) limit of each codex process and each process it starts, in MB. */
  codexMemoryMb: number;
  /** "auto": workers run inside Foreman's containment layer, and do not start where it is unavailable; "off": without it. */
  containment: "auto" | "off";
  supervisorPid: number | undefined;
  restartNote: string | undefined;
  demo: boolean;
};

/** A configuration problem, worded for the person starting Foreman. */
export class EnvError extends Error {
  override name = "EnvError";
}

type Source = Record<string, string | undefined>;

/** Parses an environment. Throws EnvError naming the first bad variable. */
export function parseEnv(source: Source): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    const got = source[name];
    const shown = got === undefined || /SECRET|TOKEN|KEY|PASSWORD/.test(name) ? "" : ` (got "${got}")`;
    throw new EnvError(`Bad configuration: ${name} ${issue?.message ?? "is invalid"}${shown}.`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.FOREMAN_DATA_DIR);
  const browserHost = raw.HOST === "0.0.0.0" || raw.HOST === "::" ? "127.0.0.1" : raw.HOST;
  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL,
    dataDir,
    host: raw.HOST,
    port: raw.PORT,
    publicUrl: (raw.FOREMAN_PUBLIC_URL ?? `http://${browserHost}:${raw.PORT}`).replace(/\/+$/, ""),
    secret: raw.FOREMAN_SECRET ?? readOrCreateSecret(dataDir),
    modelBaseUrl: raw.FOREMAN_MODEL_BASE_URL,
    model: raw.FOREMAN_MODEL,
    openaiApiKey: raw.OPENAI_API_KEY,
    codexApiKey: raw.CODEX_API_KEY,
    githubToken: raw.GITHUB_TOKEN,
    githubApiUrl: raw.GITHUB_API_URL.replace(/\/+$/, ""),
    githubWebhookSecret: raw.GITHUB_WEBHOOK_SECRET,
    maxWorkers: raw.FOREMAN_MAX_WORKERS,
    codexMemoryMb: raw.FOREMAN_CODEX_MEMORY_MB,
    containment: raw.FOREMAN_CONTAINMENT,
    supervisorPid: raw.FOREMAN_SUPERVISOR_PID,
    restartNote: raw.FOREMAN_RESTART_NOTE,
    demo: raw.FOREMAN_DEMO === "1",
  };
}

/** FOREMAN_SECRET defaults to a key generated once into the data directory. */
function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return stored;
    throw new EnvError(`Bad configuration: ${file} holds a secret shorter than 32 characters; delete it to generate a new one.`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  // "wx" fails if another process created it first; then use theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return readFileSync(file, "utf8").trim();
  }
}

let cached: Env | undefined;

/**
 * Whether this is a production build, for code that needs only that (the page
 * policy in proxy.ts): no data directory, no secret, just NODE_ENV parsed.
 */
export function isProduction(): boolean {
  return rawSchema.shape.NODE_ENV.safeParse(process.env.NODE_ENV).data === "production";
}

/** The environment of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Only the named variables of this process's environment, for children whose
 * environment is built explicitly (agents, verification): nothing else leaks.
 */
export function inheritedVariables(names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined && value !== "") picked[name] = value;
  }
  return picked;
}

/**
 * Which process reads what (DESIGN.md §9: each process holds only the secrets
 * it uses). The runner runs agents and talks to GitHub, so it alone gets model
 * keys and the GitHub token; the web process serves people and never needs
 * them. Everything else (database, data dir, FOREMAN_SECRET, public URL,
 * webhook secret) both read.
 */
export const RUNNER_ONLY_VARIABLES = ["OPENAI_API_KEY", "CODEX_API_KEY", "GITHUB_TOKEN", "GH_TOKEN"] as const;

/** A model or GitHub credential by name: kept from the web process. */
export function isRunnerOnly(name: string): boolean {
  return (RUNNER_ONLY_VARIABLES as readonly string[]).includes(name) || /_API_KEY$/.test(name);
}

/** For the web process: removes runner-only variables however they arrived (Next loads `.env` files). */
export function dropRunnerOnlyVariables(): void {
  for (const name of Object.keys(process.env)) if (isRunnerOnly(name)) delete process.env[name];
}

/** The variables a child process needs to see the same configuration. */
export function childEnv(extra: Source = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra } as NodeJS.ProcessEnv;
}

/** The web process's environment: the same configuration, without the runner's credentials. */
export function webChildEnv(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !isRunnerOnly(name))) as NodeJS.ProcessEnv;
}
