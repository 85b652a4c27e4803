import type { ScenarioInput } from "../e2e/scripted-model/scenario";
import { marker, workerReport } from "../e2e/scripted-model/scenarios/workers";

/** Every model answer of the worker bench takes this long (seeded per answer), streaming all along. */
export const ANSWER_MS = { min: 5_000, max: 30_000 } as const;

/** mulberry32: the same seed gives the same delays, so runs of the bench are comparable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The file task `key` writes, its check, and the check script every task runs. */
export const benchFile = (key: string) => `work/${key}.txt`;
export const BENCH_CHECK = "check.sh";
export const BENCH_CHECK_SCRIPT = `#!/bin/sh\n# sh check.sh T1: task T1's file exists and says it is done\ngrep -q "done by $1" "work/$1.txt"\n`;

/**
 * One independent worker of the bench: writes its own file (apply_patch),
 * runs its check, reports done: three model answers, each 5–30 s (seeded by
 * level and task), streamed as a reasoning summary in deltas before the items.
 */
export function benchWorkerScenario(level: number, key: string, index: number): ScenarioInput {
  const random = seeded(level * 1_000 + index);
  const answer = () => ({ streamMs: Math.round(ANSWER_MS.min + random() * (ANSWER_MS.max - ANSWER_MS.min)) });
  const file = benchFile(key);
  return {
    name: `bench-${level}-${key}`,
    match: marker(`bench-${level}-${key}`),
    turns: [
      {
        responses: [
          { ...answer(), items: [{ type: "patch", patch: `*** Begin Patch\n*** Add File: ${file}\n+done by ${key}\n*** End Patch\n` }] },
          { ...answer(), items: [{ type: "exec", cmd: `sh ${BENCH_CHECK} ${key}` }] },
          {
            ...answer(),
            items: [
              {
                type: "json",
                value: workerReport({ summary: `Wrote ${file}; its check passes.`, filesChanged: [file], verification: [{ command: `sh ${BENCH_CHECK} ${key}`, result: "exit 0", passed: true }] }),
              },
            ],
          },
        ],
      },
    ],
  };
}
