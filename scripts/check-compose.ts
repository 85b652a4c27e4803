// Static validation of docker-compose.yml: no Docker engine runs in CI, so the file
// is checked here instead of started. Runs `docker compose config -q` when the
// compose plugin is installed (it needs no daemon), and always a structural check.
//
//   node --import tsx scripts/check-compose.ts [path/to/docker-compose.yml]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";

const REQUIRED_SERVICES = ["postgres", "web", "runner"] as const;

// DESIGN.md §7, plus the compose-only database password.
const ALLOWED_VARIABLES = new Set([
  "DATABASE_URL",
  "FOREMAN_DATA_DIR",
  "HOST",
  "PORT",
  "FOREMAN_PUBLIC_URL",
  "FOREMAN_SECRET",
  "FOREMAN_MODEL_BASE_URL",
  "FOREMAN_MODEL",
  "OPENAI_API_KEY",
  "CODEX_API_KEY",
  "GITHUB_TOKEN",
  "GITHUB_API_URL",
  "GITHUB_WEBHOOK_SECRET",
  "FOREMAN_MAX_WORKERS",
  "FOREMAN_CODEX_MEMORY_MB",
  "FOREMAN_CONTAINMENT",
  "POSTGRES_PASSWORD",
]);

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asDict(value: unknown): Dict {
  return isDict(value) ? value : {};
}

/** Every string value in a parsed YAML tree (keys are not interpolated). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isDict(value)) return Object.values(value).flatMap(strings);
  return [];
}

/** `${VAR…}` and `$VAR` references, skipping `$$` escapes. */
function variablesIn(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\$(\$|\{([A-Za-z_]\w*)|([A-Za-z_]\w*))/g)) {
    const name = match[2] ?? match[3];
    if (name) found.push(name);
  }
  return found;
}

/** Argument list of a compose `command` or a Dockerfile CMD/ENTRYPOINT. */
function words(command: unknown): string[] {
  if (Array.isArray(command)) return command.filter((w): w is string => typeof w === "string");
  if (typeof command !== "string") return [];
  const trimmed = command.trim();
  if (trimmed.startsWith("[")) {
    try {
      return words(JSON.parse(trimmed) as unknown);
    } catch {
      // Not JSON: Docker runs it as a shell command, so split it like one.
    }
  }
  return trimmed.split(/\s+/);
}

/** Arguments that name source files the image must contain. */
function sourceFiles(args: string[]): string[] {
  return args.filter((a) => !a.startsWith("-") && /\.(ts|tsx|js|mjs|cjs)$/.test(a));
}

/** The last CMD and ENTRYPOINT of a Dockerfile (those of the final stage). */
function dockerfileCommands(text: string): string[] {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  let cmd: string[] = [];
  let entrypoint: string[] = [];
  for (const line of lines) {
    const match = /^\s*(CMD|ENTRYPOINT)\s+(.*)$/i.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    if (match[1].toUpperCase() === "CMD") cmd = words(match[2]);
    else entrypoint = words(match[2]);
  }
  return [...entrypoint, ...cmd];
}

/** Source of a named volume in a service's `volumes` entry, or undefined for bind mounts. */
function namedVolume(entry: unknown): { name: string; target: string } | undefined {
  let source: string | undefined;
  let target = "";
  if (typeof entry === "string") {
    const parts = entry.split(":");
    if (parts.length < 2) return undefined;
    source = parts[0];
    target = parts[1] ?? "";
  } else if (isDict(entry) && (entry.type === undefined || entry.type === "volume")) {
    source = typeof entry.source === "string" ? entry.source : undefined;
    target = typeof entry.target === "string" ? entry.target : "";
  }
  if (!source || /^[./~$]/.test(source)) return undefined;
  return { name: source, target };
}

/** Variable names set by a service's `environment`, in map or list form. */
function environmentKeys(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.filter((v): v is string => typeof v === "string").map((v) => v.split("=")[0] ?? v);
  }
  return Object.keys(asDict(value));
}

function dependsOn(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return Object.keys(asDict(value));
}

function dockerComposeConfig(file: string): string[] {
  const version = spawnSync("docker", ["compose", "version"], { encoding: "utf8" });
  if (version.status !== 0) {
    console.log("note: `docker compose` is not available here; structural check only");
    return [];
  }
  // Interpolation fails without FOREMAN_SECRET (`:?`); a dummy is enough to validate.
  const env = { ...process.env, FOREMAN_SECRET: process.env.FOREMAN_SECRET || "check-compose-dummy" };
  const config = spawnSync("docker", ["compose", "-f", file, "config", "-q"], { encoding: "utf8", env });
  if (config.status === 0) {
    console.log("note: `docker compose config -q` passed");
    return [];
  }
  const detail = `${config.stderr}${config.stdout}`.trim().split("\n").join(" / ");
  return [`docker compose config failed: ${detail || `exit ${String(config.status ?? config.signal)}`}`];
}

function check(file: string): { problems: string[]; serviceCount: number } {
  const root = path.dirname(file);
  // Compose resolves `<<: *anchor` merge keys (YAML 1.1); so does this check.
  const document = parseDocument(readFileSync(file, "utf8"), { merge: true });
  if (document.errors.length > 0) {
    return { problems: document.errors.map((e) => `invalid YAML: ${e.message.split("\n")[0] ?? ""}`), serviceCount: 0 };
  }
  const compose = asDict(document.toJS({ maxAliasCount: 1000 }));
  const services = asDict(compose.services);
  const declaredVolumes = new Set(Object.keys(asDict(compose.volumes)));
  const usedVolumes = new Set<string>();
  const problems: string[] = [];

  for (const name of REQUIRED_SERVICES) {
    if (!isDict(services[name])) problems.push(`services.${name}: missing`);
  }

  const webHealth = asDict(asDict(services.web).healthcheck);
  if (!words(webHealth.test).some((w) => w.includes("/api/health"))) {
    problems.push("services.web.healthcheck: must test GET /api/health");
  }

  // Source files named by commands -> who names them, so each is reported once.
  const entryPoints = new Map<string, Set<string>>();
  const addEntry = (file: string, user: string): void => {
    entryPoints.set(file, (entryPoints.get(file) ?? new Set<string>()).add(user));
  };
  for (const [name, raw] of Object.entries(services)) {
    const service = asDict(raw);
    const where = `services.${name}`;

    for (const dependency of dependsOn(service.depends_on)) {
      if (!(dependency in services)) problems.push(`${where}.depends_on: unknown service "${dependency}"`);
    }

    const mounts = Array.isArray(service.volumes) ? service.volumes : [];
    for (const mount of mounts) {
      const volume = namedVolume(mount);
      if (!volume) continue;
      usedVolumes.add(volume.name);
      if (!declaredVolumes.has(volume.name)) {
        problems.push(`${where}.volumes: "${volume.name}" is not declared under top-level volumes`);
      }
      // postgres:18+ refuses a volume at the pre-18 data path.
      if (name === "postgres" && volume.target.replace(/\/$/, "") === "/var/lib/postgresql/data") {
        problems.push(`${where}.volumes: mount postgres:18 data at /var/lib/postgresql, not /var/lib/postgresql/data`);
      }
    }

    if (service.build === undefined) continue;
    // Foreman's own processes read only DESIGN.md §7 variables (lib/env.ts).
    for (const key of environmentKeys(service.environment)) {
      if (!ALLOWED_VARIABLES.has(key) || key === "POSTGRES_PASSWORD") {
        problems.push(`${where}.environment: ${key} is not a DESIGN.md §7 variable`);
      }
    }
    const build = typeof service.build === "string" ? { context: service.build } : asDict(service.build);
    const context = path.resolve(root, typeof build.context === "string" ? build.context : ".");
    if (!existsSync(context) || !statSync(context).isDirectory()) {
      problems.push(`${where}.build: context ${path.relative(process.cwd(), context) || "."} does not exist`);
      continue;
    }
    const dockerfile = path.resolve(context, typeof build.dockerfile === "string" ? build.dockerfile : "Dockerfile");
    if (!existsSync(dockerfile)) {
      problems.push(`${where}.build: ${path.relative(process.cwd(), dockerfile)} does not exist`);
      continue;
    }
    const dockerfileName = path.relative(root, dockerfile);
    for (const entry of sourceFiles(dockerfileCommands(readFileSync(dockerfile, "utf8")))) {
      addEntry(path.resolve(context, entry), `${dockerfileName} CMD/ENTRYPOINT`);
    }
    for (const entry of sourceFiles(words(service.command))) {
      addEntry(path.resolve(context, entry), `${where}.command`);
    }
  }

  for (const [entry, users] of entryPoints) {
    if (!existsSync(entry)) {
      problems.push(`entry point ${path.relative(root, entry)} does not exist (used by ${[...users].join(", ")})`);
    }
  }

  for (const volume of declaredVolumes) {
    if (!usedVolumes.has(volume)) problems.push(`volumes.${volume}: declared but not used by any service`);
  }
  for (const name of ["postgres", "runner"]) {
    const mounts = asDict(services[name]).volumes;
    if (isDict(services[name]) && !(Array.isArray(mounts) && mounts.some((m) => namedVolume(m)))) {
      problems.push(`services.${name}.volumes: needs a named volume for its data`);
    }
  }

  const unknown = new Set(strings(compose).flatMap(variablesIn).filter((v) => !ALLOWED_VARIABLES.has(v)));
  for (const variable of unknown) {
    problems.push(`\${${variable}}: not a DESIGN.md §7 variable (or POSTGRES_PASSWORD)`);
  }

  return { problems: [...new Set(problems)], serviceCount: Object.keys(services).length };
}

const file = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "..", "docker-compose.yml"));
const relative = path.relative(process.cwd(), file);
const label = relative && !relative.startsWith("..") ? relative : file;
if (!existsSync(file)) {
  console.error(`${label}: file not found`);
  process.exit(1);
}
const { problems, serviceCount } = check(file);
problems.push(...dockerComposeConfig(file));
if (problems.length > 0) {
  for (const problem of problems) console.error(`${label}: ${problem}`);
  process.exit(1);
}
console.log(`${label}: OK (${String(serviceCount)} services)`);
