import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { marker, workerReport } from "../../e2e/scripted-model/scenarios/workers";
import { outOfMemoryMessage } from "../../worker-runner/codex/memory-limit";
import { runTaskAttempt } from "../../worker-runner/work/run-task-attempt";
import { ofType, until, useWorkerHarness } from "../support/workers";

/**
 * Issue 18: each codex child runs under FOREMAN_CODEX_MEMORY_MB (RLIMIT_DATA,
 * inherited by its tools), on the real codex binary inside the containment
 * layer, against the scripted model.
 */
const LIMIT_MB = 1024;
const harness = await useWorkerHarness({ codexMemoryMb: LIMIT_MB });
const { model } = harness;

model.add({
  name: "memory-hog-command",
  match: marker("memory-hog-command"),
  turns: [
    {
      responses: [
        { items: [{ type: "exec", cmd: `grep "Max data size" /proc/self/limits; node -e "Buffer.alloc(${2 * LIMIT_MB} * 1024 * 1024, 1); console.log('allocated')"; echo "node exit $?"` }] },
        { items: [{ type: "json", value: workerReport({ status: "blocked", summary: "The allocation failed.", filesChanged: [], verification: [] }) }] },
      ],
    },
  ],
});
// Codex waits on a stream that says nothing more: alive, with its limits to read, until its stream idle timeout.
model.add({
  name: "memory-waiting",
  match: marker("memory-waiting"),
  turns: [{ responses: [{ faults: ["mute"], items: [{ type: "message", text: "never reached" }] }] }],
});

describe("codex memory limit", () => {
  it("a worker's command that allocates past the limit fails inside the sandbox, under the limit codex passed on", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "memory-hog-command", commands: [] });
    await runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    const [finished] = ofType(await harness.events(task.id), "agent.command_finished");
    const bytes = String(LIMIT_MB * 1024 * 1024);
    expect(finished!.outputTail).toMatch(new RegExp(`Max data size\\s+${bytes}\\s+${bytes}\\s+bytes`));
    expect(finished!.outputTail).not.toContain("allocated");
    expect(finished!.outputTail).toMatch(/node exit [1-9]/);
  });

  it("the live codex process of a turn runs under the limit (RLIMIT_DATA), set before it started", async () => {
    const { task } = await harness.seedWorkerTask({ scenario: "memory-waiting", commands: [] });
    const working = runTaskAttempt(harness.ctx, { taskId: task.id, attempt: 1 });
    const pid = await until(async () => (await harness.attempt(task.id))?.pid, "codex's pid on the attempt");
    const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
    const bytes = String(LIMIT_MB * 1024 * 1024);
    expect(readFileSync(`/proc/${pid}/comm`, "utf8").trim()).toBe("codex");
    expect(limits).toMatch(new RegExp(`Max data size\\s+${bytes}\\s+${bytes}\\s+bytes`));
    // The address space stays unlimited: codex reserves far more than it uses.
    expect(limits).toMatch(/Max address space\s+unlimited\s+unlimited/);
    await working;
  });

  it("a codex failure that says an allocation failed ends the turn with a sentence saying memory ran out", () => {
    expect(outOfMemoryMessage("Codex Exec exited with signal SIGABRT: memory allocation of 1073741824 bytes failed", LIMIT_MB)).toBe(
      `Codex ran out of memory: it reached its limit of ${LIMIT_MB} MB (FOREMAN_CODEX_MEMORY_MB) and was stopped.`,
    );
    expect(outOfMemoryMessage("stream disconnected before completion", LIMIT_MB)).toBeNull();
  });
});
