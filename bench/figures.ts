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

/** The table, in the order; a figure this run did not measure says so. */
const ORDER = [
  "200-card run page: navigation → all cards in the DOM",
  "200-card run page: HTML fully received",
  "200-card run page: hydrated and live",
  "runner commit → card text in the DOM at 50 events/s",
  "raw NOTIFY → LISTEN floor, same run",
  "runner commit → socket.io client with the page open",
  "concurrent Codex workers one runner sustains",
  "one heartbeat pass over 500 active runs",
  "run snapshot API at 10 concurrent viewers",
];

export function printFigures() {
  console.log(`\nfigures of issue #18 (${machine()}):`);
  for (const name of ORDER) {
    const figure = figures.find((item) => item.name === name);
    const mark = figure?.met === true ? "meets" : figure?.met === false ? "misses" : "";
    const value = figure ? figure.value : name.startsWith("concurrent Codex") ? "not measured by this bench yet (the worker bench)" : "not run (pick it with its bench name)";
    console.log(`  ${name.padEnd(56)} ${value.padEnd(44)} goal ${figure?.goal ?? "—"} ${mark}`.trimEnd());
  }
}
