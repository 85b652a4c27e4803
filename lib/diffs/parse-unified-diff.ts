/**
 * `git diff` output (unified format) split into files and lines, for the
 * browser's diff viewer. Pure and tolerant: the text comes from a worker's
 * branch (untrusted) and may be cut short by the runner's size cap, so
 * anything unrecognised is kept as a meta line rather than thrown away.
 */

export type DiffLineKind = "add" | "del" | "context" | "hunk" | "meta";

export type DiffLine = {
  kind: DiffLineKind;
  /** The line without its leading +, − or space (hunk and meta lines: as written). */
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
};

export type DiffFileStatus = "added" | "deleted" | "renamed" | "modified" | "binary";

export type DiffFile = {
  /** The path after the change (the old one for deletions). */
  path: string;
  oldPath: string | null;
  status: DiffFileStatus;
  additions: number;
  deletions: number;
  lines: DiffLine[];
};

export type ParsedDiff = {
  files: DiffFile[];
  additions: number;
  deletions: number;
  /** The runner stored only the first part of a larger diff. */
  truncated: boolean;
};

/** What worker-runner/git/commit-changes.ts `taskDiff` appends when it cuts a diff. */
const CUT_MARKER = /\n… \(diff cut at \d+ bytes\)\n?$/;

export function isTruncatedDiff(raw: string): boolean {
  return CUT_MARKER.test(raw);
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** Undoes git's C-style quoting of unusual paths ("a/sp\303\244ce" → a/späce). */
export function unquoteGitPath(value: string): string {
  if (!(value.startsWith('"') && value.endsWith('"') && value.length >= 2)) return value;
  const body = value.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, '"': 34, "\\": 92 };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== "\\") {
      bytes.push(...new TextEncoder().encode(char));
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      const octal = body.slice(i + 1, i + 4);
      bytes.push(parseInt(octal, 8));
      i += octal.length;
    } else if (next in simple) {
      bytes.push(simple[next]!);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** "a/x" → "x"; /dev/null → null. */
function stripPrefix(value: string): string | null {
  const path = unquoteGitPath(value.trim().replace(/\t.*$/, ""));
  if (path === "/dev/null") return null;
  return path.replace(/^[ab]\//, "");
}

/** The two paths of a `diff --git a/X b/Y` line; when X = Y (the usual case) spaces in names are fine. */
function pathsFromHeader(rest: string): { oldPath: string; newPath: string } {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    if (end > 0) return { oldPath: stripPrefix(rest.slice(0, end + 1)) ?? "", newPath: stripPrefix(rest.slice(end + 2)) ?? "" };
  }
  // "a/<p> b/<p>": split in the middle when both halves name the same file.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === " " && rest.slice(2, half) === rest.slice(half + 3)) {
    const path = rest.slice(2, half);
    return { oldPath: path, newPath: path };
  }
  const split = rest.indexOf(" b/");
  if (split > 0) return { oldPath: stripPrefix(rest.slice(0, split)) ?? "", newPath: stripPrefix(rest.slice(split + 1)) ?? "" };
  return { oldPath: rest, newPath: rest };
}

export function parseUnifiedDiff(raw: string): ParsedDiff {
  const truncated = isTruncatedDiff(raw);
  const text = truncated ? raw.replace(CUT_MARKER, "\n") : raw;
  const files: DiffFile[] = [];
  let file: DiffFile | null = null;
  let oldNumber = 0;
  let newNumber = 0;
  let inHunk = false;

  const lines = text.split("\n");
  // A trailing newline leaves one empty string that is not a line of the diff.
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();

  for (const line of lines) {
    if (line.startsWith("diff --git ")) {
      const { oldPath, newPath } = pathsFromHeader(line.slice("diff --git ".length));
      file = { path: newPath, oldPath: oldPath === newPath ? null : oldPath, status: "modified", additions: 0, deletions: 0, lines: [] };
      files.push(file);
      inHunk = false;
      continue;
    }
    if (!file) continue; // Anything before the first file header is not part of a file.
    if (inHunk) {
      const sign = line[0];
      if (sign === "+") {
        file.lines.push({ kind: "add", text: line.slice(1), oldNumber: null, newNumber: newNumber++ });
        file.additions++;
        continue;
      }
      if (sign === "-") {
        file.lines.push({ kind: "del", text: line.slice(1), oldNumber: oldNumber++, newNumber: null });
        file.deletions++;
        continue;
      }
      if (sign === " " || line === "") {
        file.lines.push({ kind: "context", text: line.slice(1), oldNumber: oldNumber++, newNumber: newNumber++ });
        continue;
      }
      if (line.startsWith("\\")) {
        file.lines.push({ kind: "meta", text: line, oldNumber: null, newNumber: null });
        continue;
      }
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldNumber = Number(hunk[1]);
      newNumber = Number(hunk[2]);
      inHunk = true;
      file.lines.push({ kind: "hunk", text: line, oldNumber: null, newNumber: null });
      continue;
    }
    inHunk = false;
    if (line.startsWith("--- ")) {
      const from = stripPrefix(line.slice(4));
      if (from === null) file.status = "added";
      else file.oldPath = from === file.path ? file.oldPath : from;
    } else if (line.startsWith("+++ ")) {
      const to = stripPrefix(line.slice(4));
      if (to === null) {
        file.status = "deleted";
      } else {
        file.path = to;
      }
    } else if (line.startsWith("new file mode")) {
      file.status = "added";
    } else if (line.startsWith("deleted file mode")) {
      file.status = "deleted";
    } else if (line.startsWith("rename from ")) {
      file.status = "renamed";
      file.oldPath = unquoteGitPath(line.slice("rename from ".length));
    } else if (line.startsWith("rename to ")) {
      file.status = "renamed";
      file.path = unquoteGitPath(line.slice("rename to ".length));
    } else if (line.startsWith("Binary files ") || line === "GIT binary patch") {
      file.status = "binary";
      file.lines.push({ kind: "meta", text: line, oldNumber: null, newNumber: null });
    } else if (!line.startsWith("index ") && !line.startsWith("similarity index") && !line.startsWith("old mode") && !line.startsWith("new mode")) {
      file.lines.push({ kind: "meta", text: line, oldNumber: null, newNumber: null });
    }
  }
  for (const entry of files) {
    if (entry.status === "deleted" && entry.oldPath) entry.path = entry.oldPath;
    if (entry.oldPath === entry.path) entry.oldPath = null;
  }
  return {
    files,
    additions: files.reduce((sum, entry) => sum + entry.additions, 0),
    deletions: files.reduce((sum, entry) => sum + entry.deletions, 0),
    truncated,
  };
}
