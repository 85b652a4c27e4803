import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Foreman's own containment layer (DESIGN.md §9): every process that runs
 * agent-written content (codex with its tools, setup scripts, verification
 * commands) starts inside a bubblewrap sandbox built from an empty root:
 *
 * - system directories read-only (/usr, /etc with its unreadable files masked,
 *   the /bin and /lib links), the Node and codex installs read-only;
 * - the task's worktree read-write, its repository's git metadata read-only;
 * - a private /tmp and HOME; nothing of FOREMAN_DATA_DIR, the install, the
 *   user's home, other worktrees or other repositories;
 * - its own user namespace (no capabilities, a non-root uid), PID, IPC and UTS
 *   namespaces, and no network unless the caller asks for it;
 * - it dies with the process that started it.
 *
 * Where bubblewrap cannot run (no user namespaces, not Linux), workers do not
 * start unless the owner set FOREMAN_CONTAINMENT=off.
 */
export type Containment =
  | { kind: "bwrap"; bwrap: string; uid: number; gid: number; systemArgs: readonly string[] }
  /** FOREMAN_CONTAINMENT=off: the owner chose to run workers without it. */
  | { kind: "off"; reason: string }
  /** The host cannot contain workers: they do not start. */
  | { kind: "unavailable"; reason: string };

export type ContainmentSetting = "auto" | "off";

/** Thrown where agent-written content would run and the host cannot contain it. */
export class ContainmentUnavailable extends Error {
  override name = "ContainmentUnavailable";
}

/** The containment to run agent-written content with; throws where the host cannot contain it. */
export function requireContainment(containment: Containment): Extract<Containment, { kind: "bwrap" | "off" }> {
  if (containment.kind === "unavailable") {
    throw new ContainmentUnavailable(`Workers do not start on this runner: ${containment.reason} (or set FOREMAN_CONTAINMENT=off to run them uncontained).`);
  }
  return containment;
}

/** The system PATH inside (and for the runner's own tools): no directory a worker can write. */
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** HOME inside the sandbox: an empty private directory. */
export const JAIL_HOME = "/foreman/home";
/** A private temporary directory inside the sandbox that codex's own sandbox lets tools write (/tmp stays read-only to them). */
export const JAIL_TMP = "/foreman/tmp";

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];
const ROOT_LINKS = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

/**
 * Decides how this runner contains workers: bubblewrap when it runs here
 * (probed once by starting a real sandbox), otherwise "off" with the reason;
 * `setting = "off"` turns it off on purpose (every page then warns).
 */
export function detectContainment(setting: ContainmentSetting, extraBwrap: readonly string[] = []): Containment {
  if (setting === "off") return { kind: "off", reason: "FOREMAN_CONTAINMENT=off: workers run without Foreman's containment layer." };
  if (process.platform !== "linux") return { kind: "unavailable", reason: `Foreman's containment layer needs Linux with bubblewrap; this host is ${process.platform}.` };
  const bwrap = [...BWRAP_CANDIDATES, ...extraBwrap].find(isExecutable);
  if (!bwrap) return { kind: "unavailable", reason: "bubblewrap (bwrap) is not installed: install it (Debian/Ubuntu: apt-get install bubblewrap)." };
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  // Inside, never root: bubblewrap nested in it (codex's own sandbox) then takes the unprivileged path.
  const containment = { kind: "bwrap" as const, bwrap, uid: uid === 0 ? 1000 : uid, gid: gid === 0 ? 1000 : gid, systemArgs: systemMounts() };
  const probe = spawnSync(bwrap, [...sandboxArgs(containment, { cwd: "/", writable: [], readOnly: [], network: false }), "/bin/sh", "-c", "exit 0"], {
    encoding: "utf8",
    timeout: 20_000,
    env: { PATH: SYSTEM_PATH } as Record<string, string> as NodeJS.ProcessEnv,
  });
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split("\n").at(-1);
    return { kind: "unavailable", reason: `bubblewrap cannot create a sandbox on this host (${why}); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone=1).` };
  }
  return containment;
}

export type SandboxSpec = {
  /** Where the command starts. */
  cwd: string;
  /** Bound read-write at the same path (the task's worktree). */
  writable: readonly string[];
  /** Bound read-only at the same path (git metadata, installs); missing ones are skipped. */
  readOnly: readonly string[];
  /** Bound at another path inside (e.g. a CODEX_HOME at a fixed place). */
  mounts?: readonly { source: string; target: string; writable: boolean }[];
  /** Files inside a writable bind that must stay as they are (the worktree's `.git` link). */
  pinned?: readonly string[];
  /** Share the host's network (codex itself talks to the model; setup may be allowed to). */
  network: boolean;
  /** Write bubblewrap's JSON info (the sandboxed process's pid outside) to this fd. */
  infoFd?: number;
};

/** bubblewrap's arguments for one sandbox, ending with `--`; the command follows. */
export function sandboxArgs(containment: Extract<Containment, { kind: "bwrap" }>, spec: SandboxSpec): string[] {
  const args = [
    "--unshare-user",
    "--uid", String(containment.uid),
    "--gid", String(containment.gid),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--hostname", "foreman-sandbox",
    "--die-with-parent",
    "--cap-drop", "ALL",
    ...(spec.network ? [] : ["--unshare-net"]),
    ...(spec.infoFd !== undefined ? ["--info-fd", String(spec.infoFd)] : []),
    ...containment.systemArgs,
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--tmpfs", "/var/tmp",
    "--tmpfs", "/run",
    "--tmpfs", JAIL_HOME,
    "--tmpfs", JAIL_TMP,
  ];
  // DNS for a sandbox that may use the network: resolv.conf often points into /run.
  if (spec.network) args.push(...resolverMounts());
  for (const dir of spec.readOnly) if (existsSync(dir)) args.push("--ro-bind", dir, dir);
  for (const dir of spec.writable) args.push("--bind", dir, dir);
  for (const mount of spec.mounts ?? []) args.push(mount.writable ? "--bind" : "--ro-bind", mount.source, mount.target);
  for (const file of spec.pinned ?? []) if (existsSync(file)) args.push("--ro-bind", file, file);
  args.push("--chdir", spec.cwd, "--");
  return args;
}

/** The read-only system part of every sandbox, computed once per runner. */
function systemMounts(): string[] {
  const args: string[] = ["--ro-bind", "/usr", "/usr"];
  for (const name of ROOT_LINKS) {
    const entry = `/${name}`;
    let stat;
    try {
      stat = lstatSync(entry);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(entry), entry);
    else if (stat.isDirectory()) args.push("--ro-bind", entry, entry);
  }
  args.push("--ro-bind", "/etc", "/etc");
  // Inside, the runner's uid owns what it owns outside: hide what other users could not read.
  for (const hidden of unreadableByOthers("/etc", 3)) {
    args.push(...(hidden.directory ? ["--tmpfs", hidden.path] : ["--ro-bind", "/dev/null", hidden.path]));
  }
  if (existsSync("/opt")) args.push("--ro-bind", "/opt", "/opt");
  return args;
}

function resolverMounts(): string[] {
  try {
    const target = realpathSync("/etc/resolv.conf");
    if (!target.startsWith("/etc/") && target.startsWith("/run/")) return ["--ro-bind", target, target];
  } catch {
    // no resolver configuration
  }
  return [];
}

/** Files and directories under `root` that a user other than their owner could not read. */
function unreadableByOthers(root: string, depth: number): { path: string; directory: boolean }[] {
  const found: { path: string; directory: boolean }[] = [];
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isSymbolicLink()) continue;
    let mode: number;
    try {
      mode = statSync(full).mode;
    } catch {
      continue;
    }
    if (entry.isDirectory()) {
      if ((mode & 0o005) !== 0o005) found.push({ path: full, directory: true });
      else if (depth > 1) found.push(...unreadableByOthers(full, depth - 1));
    } else if (entry.isFile() && (mode & 0o004) === 0) found.push({ path: full, directory: false });
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The directory that holds the Node.js install running this process (read-only inside, for setup scripts and tools). */
export function nodeInstallDir(): string {
  const binary = realpathSync(process.execPath);
  const bin = path.dirname(binary);
  return path.basename(bin) === "bin" ? path.dirname(bin) : bin;
}
