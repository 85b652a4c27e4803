import type { DiffFile, ParsedDiff } from "../diffs/parse-unified-diff";
import { matchesGlob } from "../scheduler/globs";
import { type CheckFile, readPackageScripts } from "./check-files";

/**
 * Weakened checks in a task's diff (DESIGN.md §4.6): a check file deleted or
 * renamed away, assertions removed or loosened, skip/only/todo markers added,
 * a test body emptied, a verification script edited. Adding tests is never a
 * finding. Pure: the runner feeds it `git diff <startSha> HEAD` and the checks
 * that existed at the task's start.
 */

export const WEAKENING_KINDS = ["deleted_check", "removed_assertion", "skip_marker", "emptied_test", "edited_verification_script"] as const;
export type WeakeningKind = (typeof WEAKENING_KINDS)[number];

export type WeakeningFinding = {
  file: string;
  kind: WeakeningKind;
  /** The line in the start version (removed lines) or in the branch (added lines); null for the whole file. */
  line: number | null;
  /** The line as written (capped), or what happened to the file. */
  text: string;
};

/** Lines that assert something, in the test styles Foreman meets most. */
const ASSERTION = new RegExp(
  [
    String.raw`\bassert\w*\b`, // assert, assert.equal, assertEquals, assert_eq!, self.assertTrue
    String.raw`\bexpect\s*\(`, // jest, vitest, chai, rspec's expect(…)
    String.raw`\.should\b`,
    String.raw`\bshould\s*\(`,
    String.raw`\b(?:require|must)\.\w+\(`, // testify's require.Equal, minitest's must_*
    String.raw`\bt\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b`, // Go
    String.raw`\bpanic!\s*\(`,
    String.raw`\bt\.(?:is|deepEqual|true|false|throws|equal|notEqual|ok|truthy|falsy)\s*\(`, // ava, tap
    String.raw`\bfail\s*\(`,
    String.raw`\bexit\s+[1-9]`, // shell checks
    String.raw`\|\|\s*exit\b`,
    String.raw`\bgrep\s+-q`,
    String.raw`\btest\s+-[a-z]\b`,
  ].join("|"),
);

/** Markers that skip, focus or postpone tests, per language. */
const SKIP_MARKERS: { language: string; pattern: RegExp }[] = [
  { language: "js", pattern: /\b(?:it|test|describe|context|suite|bench)\s*\.\s*(?:skip|only|todo|skipIf|runIf|fixme)\b/ },
  { language: "js", pattern: /(?:^|[^\w.])(?:xit|xtest|xdescribe|fit|fdescribe|xcontext)\s*\(/ },
  { language: "js", pattern: /\bthis\.skip\s*\(|\bt\.(?:skip|todo)\s*\(|\{\s*skip\s*:\s*true\b|\{\s*todo\s*:\s*true\b/ },
  { language: "python", pattern: /@(?:pytest\.mark\.(?:skip|skipif|xfail)|unittest\.(?:skip|skipIf|skipUnless|expectedFailure))\b|\bpytest\.(?:skip|xfail)\s*\(|\bself\.skipTest\s*\(|\braise\s+(?:unittest\.)?SkipTest\b/ },
  { language: "go", pattern: /\bt\.(?:Skip|SkipNow|Skipf)\s*\(|\bb\.Skip\w*\s*\(/ },
  { language: "rust", pattern: /#\[\s*ignore\b/ },
  { language: "java", pattern: /@(?:Disabled|Ignore|DisabledIf\w*|EnabledIf\w*)\b/ },
  { language: "ruby", pattern: /^\s*(?:skip|pending|xit|xspecify|xdescribe|xcontext)\b/ },
];

/** A test whose body is now empty: `it("x", () => {})`, `def test_x(self): pass`, `func TestX(t *testing.T) {}`. */
const EMPTY_TEST = [
  /\b(?:it|test|specify)\s*\(\s*(['"`]).*?\1\s*,\s*(?:async\s*)?(?:\(\s*\w*\s*\)|\w+)\s*=>\s*\{\s*\}\s*\)/,
  /\b(?:it|test|specify)\s*\(\s*(['"`]).*?\1\s*,\s*(?:async\s+)?function\s*\w*\s*\([^)]*\)\s*\{\s*\}\s*\)/,
  /\bdef\s+test\w*\s*\([^)]*\)\s*(?:->\s*\w+\s*)?:\s*(?:pass|\.\.\.)\s*$/,
  /^\s*(?:pass|\.\.\.)\s*$/,
  /\bfunc\s+Test\w*\s*\([^)]*\)\s*\{\s*\}/,
  /\bfn\s+\w+\s*\(\s*\)\s*\{\s*\}/,
];

const TEXT_MAX = 300;
const clip = (text: string) => (text.trim().length > TEXT_MAX ? `${text.trim().slice(0, TEXT_MAX)}…` : text.trim());
const squash = (text: string) => text.replace(/\s+/g, "");

export function detectWeakening(diff: ParsedDiff, checks: readonly CheckFile[]): WeakeningFinding[] {
  const byPath = new Map(checks.map((check) => [check.path, check]));
  const findings: WeakeningFinding[] = [];
  for (const file of diff.files) {
    const before = file.oldPath ?? file.path;
    const check = byPath.get(before) ?? (file.status === "added" ? undefined : byPath.get(file.path));
    if (!check) continue;
    if (file.status === "deleted") {
      findings.push({ file: before, kind: "deleted_check", line: null, text: `deleted (${describeRole(check)})` });
      continue;
    }
    // A test moved to another test path (tests/a.test.js → tests/b.test.js) is still a test.
    const stillCheck = byPath.has(file.path) || (check.role !== "verification_script" && matchesGlob(file.path, check.via));
    if (file.status === "renamed" && file.oldPath && !stillCheck) {
      findings.push({ file: before, kind: "deleted_check", line: null, text: `renamed to ${file.path}, so it no longer counts as a check` });
    }
    if (check.role === "verification_script") {
      const changed = file.lines.filter((line) => line.kind === "add" || line.kind === "del");
      if (changed.length === 0 && file.status !== "binary" && file.status !== "renamed") continue;
      const first = changed[0];
      const text = first ? `${first.kind === "add" ? "added" : "removed"}: ${clip(first.text)}${changed.length > 1 ? ` (and ${changed.length - 1} more changed line(s))` : ""}` : "changed";
      findings.push({ file: before, kind: "edited_verification_script", line: first ? (first.oldNumber ?? first.newNumber) : null, text: `edited (${describeRole(check)}); ${text}` });
      continue;
    }
    findings.push(...weakenedLines(file, before));
  }
  return findings;
}

/** Assertions removed (not merely moved), skip markers added, test bodies emptied. */
function weakenedLines(file: DiffFile, path: string): WeakeningFinding[] {
  const findings: WeakeningFinding[] = [];
  const added = file.lines.filter((line) => line.kind === "add");
  const removed = file.lines.filter((line) => line.kind === "del");
  // A removed assertion that comes back verbatim (moved, reindented) is not a loss.
  const kept = new Map<string, number>();
  for (const line of added) kept.set(squash(line.text), (kept.get(squash(line.text)) ?? 0) + 1);
  for (const line of removed) {
    if (!ASSERTION.test(line.text) || isComment(line.text)) continue;
    const key = squash(line.text);
    const left = kept.get(key) ?? 0;
    if (left > 0) {
      kept.set(key, left - 1);
      continue;
    }
    findings.push({ file: path, kind: "removed_assertion", line: line.oldNumber, text: `removed or changed assertion: ${clip(line.text)}` });
  }
  const removedText = new Set(removed.map((line) => squash(line.text)));
  for (const line of added) {
    if (isComment(line.text)) continue;
    const marker = SKIP_MARKERS.find((entry) => entry.pattern.test(line.text));
    // A marker the start version already had (the line merely moved) is not new.
    if (marker && !removedText.has(squash(line.text))) {
      findings.push({ file: path, kind: "skip_marker", line: line.newNumber, text: `added a skip marker: ${clip(line.text)}` });
      continue;
    }
    if (removed.length > 0 && EMPTY_TEST.some((pattern) => pattern.test(line.text))) {
      findings.push({ file: path, kind: "emptied_test", line: line.newNumber, text: `emptied a test body: ${clip(line.text)}` });
    }
  }
  return findings;
}

const isComment = (text: string) => /^\s*(?:\/\/|#(?!\[)|\/\*|\*|--)/.test(text);

function describeRole(check: CheckFile): string {
  switch (check.role) {
    case "verification_script":
      return `run by \`${clip(check.via)}\``;
    case "listed":
      return `listed as a check (${check.via})`;
    case "test":
      return `a test file (${check.via})`;
  }
}

/** package.json scripts a verification command runs, changed or removed by the worker. */
export function detectScriptEdits(startPackageJson: string | null, branchPackageJson: string | null, names: readonly string[]): WeakeningFinding[] {
  const before = readPackageScripts(startPackageJson);
  const after = readPackageScripts(branchPackageJson);
  return names
    .filter((name) => before[name] !== undefined && before[name] !== after[name])
    .map((name) => ({
      file: "package.json",
      kind: "edited_verification_script" as const,
      line: null,
      text:
        after[name] === undefined
          ? `removed the script "${name}" a verification command runs (was: ${clip(before[name]!)})`
          : `edited the script "${name}" a verification command runs: ${clip(before[name]!)} → ${clip(after[name]!)}`,
    }));
}

/** One sentence per finding, for the card's reason and the PR body: "tests/a.test.js:5 removed or changed assertion: …". */
export function describeFindings(findings: readonly WeakeningFinding[], max = 20): string[] {
  const lines = findings.slice(0, max).map((finding) => `${finding.file}${finding.line ? `:${finding.line}` : ""} ${finding.text}`);
  if (findings.length > max) lines.push(`… and ${findings.length - max} more`);
  return lines;
}
