// Launched by the SDK in place of codex (codexPathOverride, via the launcher
// written by install-wrapper.ts): `node sigint-wrapper.mjs <codex binary> <codex args…>`.
//
// - codex runs in its own session and process group, so the runner decides
//   which signal it gets (a group-wide signal to the runner does not reach it);
// - with $FOREMAN_SANDBOX (a JSON argv prefix: bubblewrap and its arguments,
//   ending with "--"), codex starts inside Foreman's containment layer in a PID
//   namespace of its own, whose init ends everything in it when codex exits;
//   this wrapper stays outside, so nothing inside can read its environment;
// - with $FOREMAN_CODEX_LIMIT (a JSON argv prefix: prlimit and its arguments,
//   ending with "--"), codex and everything it starts run under that memory
//   limit (prlimit execs what follows: the pid stays the same);
// - the SDK aborts a turn with SIGTERM, which leaves codex's tool commands to
//   their fate; SIGINT makes codex stop its tools first. So every TERM/INT/HUP
//   this wrapper receives reaches codex as SIGINT;
// - the codex pid and process group go to $FOREMAN_CODEX_PID_FILE, so the
//   runner can record them on the attempt and kill orphans after a crash;
// - no agent process outlives its runner: when the runner dies (even by
//   SIGKILL), this wrapper is re-parented; it then interrupts codex, kills its
//   process group after a short grace, and exits.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:os";

const [binary, ...args] = process.argv.slice(2);
// The wrapper is a program of its own: its environment is its input.
// eslint-disable-next-line no-restricted-properties
const env = { ...process.env };
const pidFile = env.FOREMAN_CODEX_PID_FILE;
const sandbox = env.FOREMAN_SANDBOX ? JSON.parse(env.FOREMAN_SANDBOX) : [];
const limit = env.FOREMAN_CODEX_LIMIT ? JSON.parse(env.FOREMAN_CODEX_LIMIT) : [];
delete env.FOREMAN_CODEX_PID_FILE;
delete env.FOREMAN_SANDBOX;
delete env.FOREMAN_CODEX_LIMIT;

let command = binary;
let commandArgs = args;
if (sandbox.length > 0) {
  // The SDK hands codex files it wrote to its own temporary directory (the output schema): shown read-only inside.
  const extra = [];
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === "--output-schema" || args[i] === "--image") extra.push("--ro-bind", args[i + 1], args[i + 1]);
  }
  const separator = sandbox.lastIndexOf("--");
  command = sandbox[0];
  commandArgs = [...sandbox.slice(1, separator), ...extra, ...sandbox.slice(separator), binary, ...args];
}
if (limit.length > 0) {
  commandArgs = [...limit.slice(1), command, ...commandArgs];
  command = limit[0];
}

const child = spawn(command, commandArgs, { stdio: sandbox.length > 0 ? ["inherit", "inherit", "inherit", "pipe"] : "inherit", detached: true, env });
// Outside a sandbox codex is the child; inside, bubblewrap reports its init's pid on fd 3
// (--info-fd 3) and codex is that init's child. Not PID 1 itself: PID 1 drops a SIGINT
// that arrives before it installed a handler, so an early interrupt would be lost.
let codexPid = sandbox.length > 0 ? null : child.pid;
let pendingSignal = false;

const recordPid = () => {
  if (pidFile && codexPid && child.pid) writeFileSync(pidFile, JSON.stringify({ pid: codexPid, pgid: child.pid, wrapperPid: process.pid }));
};

const interrupt = () => {
  if (!codexPid) {
    pendingSignal = true;
    return;
  }
  try {
    process.kill(codexPid, "SIGINT");
  } catch {
    // already gone
  }
};

if (sandbox.length > 0 && child.stdio[3]) {
  let info = "";
  child.stdio[3].on("data", (chunk) => {
    info += chunk.toString("utf8");
    const match = /"child-pid"\s*:\s*(\d+)/.exec(info);
    if (match && !codexPid) findCodex(Number(match[1]), 0);
  });
  child.stdio[3].on("error", () => {});
} else {
  recordPid();
}

/** The sandbox's init starts codex right away; until it has, look again shortly. */
function findCodex(init, tries) {
  let first = null;
  try {
    first = Number(readFileSync(`/proc/${init}/task/${init}/children`, "utf8").trim().split(/\s+/)[0]) || null;
  } catch {
    // the sandbox is gone already
  }
  if (!first && tries < 200) {
    setTimeout(() => findCodex(init, tries + 1), 10);
    return;
  }
  codexPid = first ?? init;
  recordPid();
  if (pendingSignal) interrupt();
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, interrupt);

const runner = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === runner) return;
  clearInterval(orphaned);
  interrupt();
  setTimeout(() => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    process.exit(137);
  }, 2000).unref();
}, 250);
orphaned.unref();
child.on("error", (error) => {
  process.stderr.write(`foreman codex wrapper: cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1)));
