/**
 * File-scope globs: `**` (any depth), `*` and `?` (within a segment), `{a,b}`.
 * A leading `./` and trailing slashes are ignored; `dir/**` also matches `dir`.
 *
 * Globs come from model output, so no glob may cost more than its size: a glob
 * is compiled to a small automaton (one instruction per glob character, brace
 * alternatives side by side, never multiplied out) and run over the path once,
 * keeping the set of live instructions. That is O(path × glob) for any glob;
 * nothing backtracks. Overlap is decided per path segment on brace-expanded
 * globs, under a work cap, and errs towards "overlaps": holding a task
 * needlessly costs time, running two colliding tasks costs a conflict.
 */

const SLASH = "/".charCodeAt(0);

type Instruction =
  | { op: "char"; code: number }
  /** One character other than `/` (`?`, and the body of `*`). */
  | { op: "segmentChar" }
  /** Any one character (the body of `**`). */
  | { op: "anyChar" }
  | { op: "split"; to: number; or: number }
  | { op: "jump"; to: number }
  | { op: "match" };

type Node =
  | { kind: "char"; code: number }
  /** `?` */
  | { kind: "segmentChar" }
  /** `*`: any run within a segment. */
  | { kind: "segmentRun" }
  /** `**` not followed by `/`: any run, across segments. */
  | { kind: "anyRun" }
  /** `**∕`: zero or more whole leading segments. */
  | { kind: "folders" }
  /** A trailing `/**`: the path itself or anything below it. */
  | { kind: "below" }
  | { kind: "alternatives"; options: Node[][] };

/** `glob[from, to)` as nodes; `closes[i]` is the first `}` at or after i (or -1). */
function parse(glob: string, from: number, to: number, closes: Int32Array): Node[] {
  let end = to;
  let below = 0;
  while (end - from >= 3 && glob.startsWith("/**", end - 3)) {
    end -= 3;
    below++;
  }
  const nodes: Node[] = [];
  for (let i = from; i < end; i++) {
    const char = glob[i]!;
    if (char === "*") {
      if (i + 1 < end && glob[i + 1] === "*") {
        const slash = i + 2 < end && glob[i + 2] === "/";
        nodes.push({ kind: slash ? "folders" : "anyRun" });
        i += slash ? 2 : 1;
      } else nodes.push({ kind: "segmentRun" });
    } else if (char === "?") nodes.push({ kind: "segmentChar" });
    else if (char === "{" && closes[i]! !== -1 && closes[i]! < end) {
      const close = closes[i]!;
      const options: Node[][] = [];
      let start = i + 1;
      for (let j = i + 1; j <= close; j++) {
        if (j === close || glob[j] === ",") {
          options.push(parse(glob, start, j, closes));
          start = j + 1;
        }
      }
      nodes.push({ kind: "alternatives", options });
      i = close;
    } else nodes.push({ kind: "char", code: glob.charCodeAt(i) });
  }
  for (let i = 0; i < below; i++) nodes.push({ kind: "below" });
  return nodes;
}

function emit(nodes: Node[], program: Instruction[]): void {
  const run = (body: "segmentChar" | "anyChar") => {
    const loop = program.push({ op: "split", to: 0, or: 0 }) - 1;
    program.push({ op: body }, { op: "jump", to: loop });
    program[loop] = { op: "split", to: loop + 1, or: program.length };
  };
  for (const node of nodes) {
    switch (node.kind) {
      case "char":
        program.push({ op: "char", code: node.code });
        break;
      case "segmentChar":
        program.push({ op: "segmentChar" });
        break;
      case "segmentRun":
        run("segmentChar");
        break;
      case "anyRun":
        run("anyChar");
        break;
      case "folders": {
        // (?:.*/)?
        const skip = program.push({ op: "split", to: 0, or: 0 }) - 1;
        run("anyChar");
        program.push({ op: "char", code: SLASH });
        program[skip] = { op: "split", to: skip + 1, or: program.length };
        break;
      }
      case "below": {
        // (?:/.*)?
        const skip = program.push({ op: "split", to: 0, or: 0 }) - 1;
        program.push({ op: "char", code: SLASH });
        run("anyChar");
        program[skip] = { op: "split", to: skip + 1, or: program.length };
        break;
      }
      case "alternatives": {
        const exits: number[] = [];
        node.options.forEach((option, index) => {
          const last = index === node.options.length - 1;
          const split = last ? -1 : program.push({ op: "split", to: 0, or: 0 }) - 1;
          emit(option, program);
          if (!last) {
            exits.push(program.push({ op: "jump", to: 0 }) - 1);
            program[split] = { op: "split", to: split + 1, or: program.length };
          }
        });
        for (const exit of exits) program[exit] = { op: "jump", to: program.length };
        break;
      }
    }
  }
}

/** A compiled glob: its instructions, and the literal text every match starts with. */
type Program = { instructions: Instruction[]; prefix: string };

function compile(glob: string): Program {
  const closes = new Int32Array(glob.length);
  let next = -1;
  for (let i = glob.length - 1; i >= 0; i--) {
    if (glob[i] === "}") next = i;
    closes[i] = next;
  }
  const nodes = parse(glob, 0, glob.length, closes);
  const program: Instruction[] = [];
  emit(nodes, program);
  program.push({ op: "match" });
  const literal = nodes.findIndex((node) => node.kind !== "char");
  const prefix = nodes
    .slice(0, literal === -1 ? nodes.length : literal)
    .map((node) => (node.kind === "char" ? String.fromCharCode(node.code) : ""))
    .join("");
  return { instructions: program, prefix };
}

/** Compiled globs, kept while a scope check or a schedule reuses them. */
const programs = new Map<string, Program>();
const PROGRAM_CACHE_SIZE = 512;

function programFor(glob: string): Program {
  let program = programs.get(glob);
  if (!program) {
    if (programs.size >= PROGRAM_CACHE_SIZE) programs.clear();
    program = compile(glob);
    programs.set(glob, program);
  }
  return program;
}

/**
 * Runs the program over `text` once, with every live instruction in step.
 * `prefixes`: also accept where a `/` follows (the glob names a directory of the path).
 */
function accepts({ instructions: program, prefix }: Program, text: string, prefixes: boolean): boolean {
  // Most paths of a change fail on the glob's literal start (`src/billing/`): no need to run.
  if (!text.startsWith(prefix)) return false;
  const seen = new Int32Array(program.length).fill(-1);
  const stack: number[] = [];
  let generation = 0;
  let matched = false;
  // Adds `pc` and everything reachable from it without reading a character.
  const add = (list: number[], pc: number) => {
    stack.push(pc);
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen[at] === generation) continue;
      seen[at] = generation;
      const instruction = program[at]!;
      if (instruction.op === "jump") stack.push(instruction.to);
      else if (instruction.op === "split") stack.push(instruction.or, instruction.to);
      else if (instruction.op === "match") matched = true;
      else list.push(at);
    }
  };
  let current: number[] = [];
  add(current, 0);
  for (let position = 0; ; position++) {
    const atEnd = position === text.length;
    const code = atEnd ? -1 : text.charCodeAt(position);
    if (matched && (atEnd || (prefixes && code === SLASH))) return true;
    if (atEnd || current.length === 0) return false;
    generation++;
    matched = false;
    const next: number[] = [];
    for (const pc of current) {
      const instruction = program[pc]!;
      const reads =
        instruction.op === "anyChar" || (instruction.op === "segmentChar" && code !== SLASH) || (instruction.op === "char" && instruction.code === code);
      if (reads) add(next, pc + 1);
    }
    current = next;
  }
}

/** Whether `text` as a whole matches the glob (no normalization). */
function wholeMatch(glob: string, text: string): boolean {
  return accepts(programFor(glob), text, false);
}

/** Whether the glob matches the file or one of its directories ("src/billing" covers src/billing/a.ts). */
export function matchesGlob(file: string, glob: string): boolean {
  return accepts(programFor(normalize(glob)), normalize(file), true);
}

/** Globs are relative to the repository root; a leading `./` and trailing slashes change nothing. */
export function normalize(glob: string): string {
  const start = glob.startsWith("./") ? 2 : 0;
  let end = glob.length;
  while (end > start && glob.charCodeAt(end - 1) === SLASH) end--;
  return glob.slice(start, end);
}

/** More alternatives than this and overlap is assumed (validated globs expand to at most 64). */
const MAX_EXPANSIONS = 256;
/** Longer globs are assumed to overlap anything (validated globs have at most 200 characters). */
const MAX_OVERLAP_GLOB = 4096;
/** Pairs of expanded globs compared at most (64 × 64 for validated globs). */
const MAX_PAIRS = 64 * 64;
/** Characters compared at most in one overlap check before assuming overlap. */
const OVERLAP_WORK = 4_000_000;

/**
 * `{a,b}` alternatives as separate globs (first group first, as written), or
 * null when there would be more than `max`.
 */
export function expandBraces(glob: string, max = MAX_EXPANSIONS): string[] | null {
  const done: string[] = [];
  const pending = [glob];
  let made = 1;
  while (pending.length > 0) {
    const current = pending.pop()!;
    const open = current.indexOf("{");
    const close = open === -1 ? -1 : current.indexOf("}", open);
    if (close === -1) {
      done.push(current);
      continue;
    }
    const inside = current.slice(open + 1, close);
    let parts = 1;
    for (let i = 0; i < inside.length; i++) if (inside[i] === ",") parts++;
    made += parts;
    if (made > max * 4 || done.length + pending.length + parts > max) return null;
    const before = current.slice(0, open);
    const after = current.slice(close + 1);
    // Pushed in reverse so the first alternative is expanded (and listed) first.
    const options = inside.split(",");
    for (let i = options.length - 1; i >= 0; i--) pending.push(before + options[i]! + after);
  }
  return done;
}

/** Could some file match both globs? */
export function globsOverlap(a: string, b: string): boolean {
  if (a.length > MAX_OVERLAP_GLOB || b.length > MAX_OVERLAP_GLOB) return true;
  const left = expandBraces(normalize(a));
  const right = expandBraces(normalize(b));
  if (!left || !right || left.length * right.length > MAX_PAIRS) return true;
  const work = { left: OVERLAP_WORK };
  const rightSegments = right.map((y) => y.split("/"));
  return left.some((x) => {
    const segments = x.split("/");
    return rightSegments.some((other) => segmentsOverlap(segments, other, work));
  });
}

function segmentsOverlap(a: string[], b: string[], work: { left: number }): boolean {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    // One glob ended where the other goes on: a path covers everything below it.
    if (x === undefined || y === undefined) return true;
    // `**` reaches any depth (inside a segment too, as in `src/**.ts`).
    if (x.includes("**") || y.includes("**")) return true;
    work.left -= x.length * y.length + x.length + y.length;
    // Too much to compare: assume the worst.
    if (work.left < 0) return true;
    if (!segmentOverlap(x, y)) return false;
  }
}

const hasWildcard = (segment: string) => /[*?{]/.test(segment);

/** Within one segment: literals must be equal; with wildcards, compare fixed prefixes and suffixes. */
function segmentOverlap(x: string, y: string): boolean {
  if (!hasWildcard(x) && !hasWildcard(y)) return x === y;
  if (!hasWildcard(x)) return wholeMatch(y, x);
  if (!hasWildcard(y)) return wholeMatch(x, y);
  const prefix = (s: string) => s.slice(0, s.search(/[*?]/));
  const suffix = (s: string) => s.slice(Math.max(s.lastIndexOf("*"), s.lastIndexOf("?")) + 1);
  const [px, py, sx, sy] = [prefix(x), prefix(y), suffix(x), suffix(y)];
  return (px.startsWith(py) || py.startsWith(px)) && (sx.endsWith(sy) || sy.endsWith(sx));
}
