import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Codex } from "@openai/codex-sdk";
import { SAMPLE_REPO_FILES } from "../e2e/scripted-model/sample-repo";
import { honestWorker, marker } from "../e2e/scripted-model/scenarios/workers";
import { startScriptedModel } from "../e2e/scripted-model/server";
import { workerReportJsonSchema } from "../lib/reports/worker-report";
import { codexOptions, threadOptions } from "../worker-runner/codex/codex-options";
import { type AgentRuntime, createAgentRuntime } from "../worker-runner/codex/runtime";
import { codexConfinement, commandConfinement } from "../worker-runner/codex/places";
import { commandEnv } from "../worker-runner/codex/child-env";
import { runCommand } from "../worker-runner/verify/run-command";
import { makeGitRepo } from "../tests/support/factories";
import { ms, summarize } from "./stats";

/**
 * The cost of Foreman's containment layer (issue #11): one command (`true`)
 * started as verification starts it, contained and not, and one whole worker
 * turn of the real codex against the scripted model (read, patch, test,
 * report), contained and with FOREMAN_CONTAINMENT=off. Prints numbers,
 * asserts nothing. The data directory is outside /tmp so that the uncontained
 * codex's own sandbox works too (it refuses a CODEX_HOME under /tmp).
 */
export async function benchContainment(options: { commands?: number; turns?: number } = {}) {
  const commands = options.commands ?? 40;
  const turns = options.turns ?? 8;
  const root = path.join(os.homedir(), ".cache", "foreman-bench");
  mkdirSync(root, { recursive: true });
  const dataDir = mkdtempSync(path.join(root, "containment-"));
  const model = await startScriptedModel({ scenarios: [honestWorker] });
  let repo: string | null = null;
  try {
    const settings = { dataDir, hostname: "bench", model: "gpt-5.5", modelBaseUrl: model.baseUrl, modelRetries: 0 };
    const contained = createAgentRuntime({ ...settings, containment: "auto" });
    const open = createAgentRuntime({ ...settings, containment: "off" });
    if (contained.jail.kind !== "bwrap") {
      console.log(`containment: not measured (${contained.jail.reason})`);
      return;
    }

    const sample = makeGitRepo(SAMPLE_REPO_FILES);
    repo = sample;
    const commandTimes = async (runtime: AgentRuntime) => {
      const worktree = addWorktree(sample, `cmd-${runtime.jail.kind}`);
      const confinement = commandConfinement(runtime, { cwd: worktree, worktree, repoPath: sample }, { network: false });
      const times: number[] = [];
      for (let i = 0; i < commands + 3; i++) {
        const result = await runCommand({ command: "true", cwd: worktree, env: commandEnv(confinement), timeoutMs: 30_000, confinement });
        if (result.exitCode !== 0) throw new Error(`bench command failed: ${result.outputTail}`);
        if (i >= 3) times.push(result.durationMs);
      }
      return summarize(times);
    };
    const bare = await commandTimes(open);
    const jailed = await commandTimes(contained);
    console.log(`containment, one command (\`true\`, ${commands} runs after 3 warm-ups; durations in whole ms):`);
    console.log(`  uncontained: p50 ${ms(bare.p50)}, p99 ${ms(bare.p99)}`);
    console.log(`  contained:   p50 ${ms(jailed.p50)}, p99 ${ms(jailed.p99)}  → cost p50 ${ms(jailed.p50 - bare.p50)}`);

    // Interleaved, so warm caches and a busy machine weigh on both alike.
    const turnTimes: Record<"off" | "bwrap", number[]> = { off: [], bwrap: [] };
    for (let i = 0; i < turns; i++) {
      for (const runtime of [open, contained]) {
        const kind = runtime.jail.kind === "bwrap" ? "bwrap" : "off";
        const worktree = addWorktree(sample, `turn-${kind}-${i}`);
        const confinement = codexConfinement(runtime, { cwd: worktree, worktree, repoPath: sample }, { kind: "task", id: `bench-${kind}-${i}` });
        const codex = new Codex(codexOptions(runtime, `bench-${kind}-${i}`, path.join(dataDir, `bench-${kind}-${i}.pid`), confinement));
        const thread = codex.startThread(threadOptions({ model: "gpt-5.5", sandboxMode: "workspace-write", worktree }));
        const started = performance.now();
        await thread.run(`${marker("honest-worker")} Make greeting.txt say hello, world.`, { outputSchema: workerReportJsonSchema });
        turnTimes[kind].push(performance.now() - started);
      }
    }
    const bareTurn = summarize(turnTimes.off);
    const jailedTurn = summarize(turnTimes.bwrap);
    console.log(`containment, one worker turn (real codex, scripted model: read, patch, test, report; ${turns} turns each, interleaved):`);
    console.log(`  uncontained: p50 ${ms(bareTurn.p50)}`);
    console.log(`  contained:   p50 ${ms(jailedTurn.p50)}  → cost p50 ${ms(jailedTurn.p50 - bareTurn.p50)}`);
  } finally {
    await model.close();
    for (const dir of [dataDir, ...(repo ? [repo, `${repo}-worktrees`] : [])]) rmSync(dir, { recursive: true, force: true });
  }
}

function addWorktree(repo: string, name: string): string {
  const worktree = path.join(`${repo}-worktrees`, name);
  execFileSync("git", ["-C", repo, "worktree", "add", "-q", "-b", name, worktree], { stdio: "pipe" });
  return worktree;
}
