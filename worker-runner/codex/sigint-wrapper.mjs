// Launched by the SDK in place of codex (codexPathOverride, via the launcher
// written by install-wrapper.ts): `node sigint-wrapper.mjs <codex binary> <codex args…>`.
//
// - codex runs in its own session and process group, so the runner decides
//   which signal it gets (a group-wide signal to the runner does not reach it);
// - the SDK aborts a turn with SIGTERM, which leaves codex's tool commands to
//   their fate; SIGINT makes codex stop its tools first. So every TERM/INT/HUP
//   this wrapper receives reaches codex as SIGINT;
// - the codex pid and process group go to $FOREMAN_CODEX_PID_FILE, so the
//   runner can record them on the attempt and kill orphans after a crash.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants } from "node:os";

const [binary, ...args] = process.argv.slice(2);
// The wrapper is a program of its own: its environment is its input.
// eslint-disable-next-line no-restricted-properties
const env = { ...process.env };
const pidFile = env.FOREMAN_CODEX_PID_FILE;
delete env.FOREMAN_CODEX_PID_FILE;

const child = spawn(binary, args, { stdio: "inherit", detached: true, env });
if (pidFile && child.pid) writeFileSync(pidFile, JSON.stringify({ pid: child.pid, pgid: child.pid, wrapperPid: process.pid }));

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.on(signal, () => {
    try {
      child.kill("SIGINT");
    } catch {
      // already gone
    }
  });
}
child.on("error", (error) => {
  process.stderr.write(`foreman codex wrapper: cannot start ${binary}: ${error.message}\n`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1)));
