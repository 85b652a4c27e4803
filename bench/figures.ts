import os from "node:os";

/**
 * The figures of issue #18's table, collected as the benches run and printed
 * together at the end, each next to its floor or goal. Nothing is asserted:
 * `met` only labels the line.
 */
type Figure = { name: string; value: string; goal: string; met: boolean | null };

const figures: Figure[] = [];

export function record(name: string, value: string, goal: string, met: boolean | null = null) {
  figures.push({ name, value, goal, met });
}

export function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2)).join(" ");
  return `${cpus.length} cores, ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${load}, Node ${process.version}`;
}

/** The table, in the order, with the bench that measures each; a figure this run did not measure says so. */
const ORDER: [name: string, bench: string, goal: string][] = [
  ["200-card run page: navigation → all cards in the DOM", "board", "< 150 ms median"],
  ["200-card run page: HTML fully received", "board", "< 60 ms median"],
  ["200-card run page: hydrated and live", "board", "< 500 ms median"],
  ["runner commit → card text in the DOM at 50 events/s", "board", "p99 ≤ 2× floor p99 (or 20 ms)"],
  ["raw NOTIFY → LISTEN floor, same run", "board", "— (the floor)"],
  ["runner commit → socket.io client with the page open", "board", "p99 ≤ 2× floor p99 (or 20 ms)"],
  ["concurrent Codex workers one runner sustains", "workers", "32 on this machine kind"],
  ["one heartbeat pass over 500 active runs", "heartbeats", "< 1 s"],
  ["run snapshot API at 10 concurrent viewers", "board", "p99 < 50 ms"],
];

export function printFigures() {
  console.log(`\nfigures of issue #18 (${machine()}):`);
  for (const [name, bench, goal] of ORDER) {
    const figure = figures.find((item) => item.name === name);
    const mark = figure?.met === true ? " · meets" : figure?.met === false ? " · misses" : "";
    const value = figure ? figure.value : `not run (npm run bench -- ${bench})`;
    console.log(`  ${name}\n      ${value} · goal ${figure?.goal ?? goal}${mark}`);
  }
}
