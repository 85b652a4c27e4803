import path from "node:path";

/**
 * The runner's rooms, lowest first: a room imports only from its own room and
 * the rooms before it (and from lib/ and db/). Folders of worker-runner/ are
 * rooms; a file at its top is a room of its own. README's architecture
 * section shows the same list.
 */
export const RUNNER_ROOMS = [
  ["contain/"], // bubblewrap, escape checks, link-safe file work
  ["git/"], // checkouts, worktrees, commits, merges
  ["codex/"], // the Codex SDK adapter, its processes, where it runs contained
  ["runner-context.ts"], // what every job is given
  ["verify/"], // verification commands and checks
  ["github/"], // the Octokit adapter
  ["webhooks/"], // outgoing webhook deliveries
  ["manager/"], // the manager's turns
  ["work/"], // a worker's attempt: claim, turns, verification, hand-off
  ["follow-ups/"], // after the hand-off: PR sync, comment triage, landing
  ["lease/"], // runner leases, take-over, own-attempt checks
  ["jobs/"], // one file per queue
  ["main.ts", "control.ts", "deliveries.ts", "work-queues.ts"], // the runner's start and wiring
];

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNNER = path.join(ROOT, "worker-runner");

/** The room rank of a path inside worker-runner/ ("codex/runtime", "jobs", "main.ts"); -1 when it is in no room. */
function rankOf(inside) {
  const [first, ...rest] = inside.split("/");
  const entry = rest.length > 0 || RUNNER_ROOMS.some((room) => room.includes(`${first}/`)) ? `${first}/` : first.replace(/(\.tsx?)?$/, ".ts");
  return RUNNER_ROOMS.findIndex((room) => room.includes(entry));
}

const describeRoom = (rank) => RUNNER_ROOMS[rank].join(", ");

/** A file's path relative to worker-runner/, or null outside it. */
function insideRunner(file) {
  const inside = path.relative(RUNNER, file);
  return inside.startsWith("..") || path.isAbsolute(inside) ? null : inside.split(path.sep).join("/");
}

/** Where an import points, relative to worker-runner/, or null when it points elsewhere (a package, lib/, db/). */
function importTarget(fromFile, specifier) {
  if (specifier.startsWith(".")) return insideRunner(path.resolve(path.dirname(fromFile), specifier));
  if (specifier.startsWith("@/")) return insideRunner(path.join(ROOT, specifier.slice(2)));
  return null;
}

/** @type {import("eslint").Rule.RuleModule} */
const oneWayRooms = {
  meta: {
    type: "problem",
    docs: { description: "A worker-runner room never imports a room above it (see RUNNER_ROOMS)." },
    schema: [],
  },
  create(context) {
    const inside = insideRunner(context.filename);
    if (inside === null) return {};
    const own = rankOf(inside);
    if (own === -1) {
      return {
        Program: (node) => context.report({ node, message: `worker-runner/${inside.split("/")[0]} is in no room: add it to RUNNER_ROOMS in scripts/eslint-rooms.js.` }),
      };
    }
    const check = (node) => {
      if (node.source?.type !== "Literal" || typeof node.source.value !== "string") return;
      const target = importTarget(context.filename, node.source.value);
      if (target === null) return;
      const rank = rankOf(target);
      if (rank > own || rank === -1) {
        context.report({
          node: node.source,
          message: `worker-runner rooms import one way: ${describeRoom(own)} may not import ${node.source.value}, ${rank === -1 ? "which is in no room" : `from a higher room (${describeRoom(rank)})`}.`,
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export const roomsPlugin = { rules: { "one-way-rooms": oneWayRooms } };
