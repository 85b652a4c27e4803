import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, unlinkSync, writeFileSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isTruncatedDiff, parseUnifiedDiff, unquoteGitPath } from "../../lib/diffs/parse-unified-diff";

const TWO_FILES = `diff --git a/greeting.txt b/greeting.txt
index ce01362..4b5fa63 100644
--- a/greeting.txt
+++ b/greeting.txt
@@ -1 +1 @@
-hello
+hello, world
diff --git a/docs/notes.md b/docs/notes.md
index 1f9a1d2..9b2e5d1 100644
--- a/docs/notes.md
+++ b/docs/notes.md
@@ -1,3 +1,4 @@
 # notes
+The greeting now says hello, world.
 
 end
\\ No newline at end of file
`;

describe("parseUnifiedDiff", () => {
  it("splits a diff into files with their added and removed lines and line numbers", () => {
    const diff = parseUnifiedDiff(TWO_FILES);
    expect(diff.files.map((file) => [file.path, file.status, file.additions, file.deletions])).toEqual([
      ["greeting.txt", "modified", 1, 1],
      ["docs/notes.md", "modified", 1, 0],
    ]);
    expect(diff.additions).toBe(2);
    expect(diff.deletions).toBe(1);
    expect(diff.truncated).toBe(false);
    const [greeting, notes] = diff.files;
    expect(greeting!.lines).toEqual([
      { kind: "hunk", text: "@@ -1 +1 @@", oldNumber: null, newNumber: null },
      { kind: "del", text: "hello", oldNumber: 1, newNumber: null },
      { kind: "add", text: "hello, world", oldNumber: null, newNumber: 1 },
    ]);
    expect(notes!.lines.map((line) => [line.kind, line.text, line.oldNumber, line.newNumber])).toEqual([
      ["hunk", "@@ -1,3 +1,4 @@", null, null],
      ["context", "# notes", 1, 1],
      ["add", "The greeting now says hello, world.", null, 2],
      ["context", "", 2, 3],
      ["context", "end", 3, 4],
      ["meta", "\\ No newline at end of file", null, null],
    ]);
  });

  it("keeps a removed line that looks like a file header inside its hunk", () => {
    const diff = parseUnifiedDiff("diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -1,2 +1 @@\n--- not a header\n+++ also not\n");
    expect(diff.files).toHaveLength(1);
    expect(diff.files[0]!.lines.map((line) => line.kind)).toEqual(["hunk", "del", "add"]);
    expect(diff.files[0]!.lines[1]!.text).toBe("-- not a header");
  });

  it("flags a diff the runner cut at its size cap and drops the marker", () => {
    const cut = `${TWO_FILES.slice(0, 120)}\n… (diff cut at 1048576 bytes)\n`;
    expect(isTruncatedDiff(cut)).toBe(true);
    const diff = parseUnifiedDiff(cut);
    expect(diff.truncated).toBe(true);
    expect(diff.files.flatMap((file) => file.lines).some((line) => line.text.includes("diff cut at"))).toBe(false);
    expect(isTruncatedDiff(TWO_FILES)).toBe(false);
  });

  it("returns no files for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual({ files: [], additions: 0, deletions: 0, truncated: false });
  });

  it("undoes git's quoting of unusual paths", () => {
    expect(unquoteGitPath('"a/sp\\303\\244ce\\tx.txt"')).toBe("a/späce\tx.txt");
    expect(unquoteGitPath("plain.txt")).toBe("plain.txt");
  });

  it("reads added, deleted, renamed, binary and spaced files from real git output", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "foreman-diff-"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=T", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
    try {
      git("init", "-q", "-b", "main");
      writeFileSync(path.join(dir, "gone.txt"), "bye\n");
      writeFileSync(path.join(dir, "old name.txt"), "one\ntwo\nthree\nfour\nfive\n");
      writeFileSync(path.join(dir, "änder.txt"), "a\n");
      git("add", ".");
      git("commit", "-qm", "start");
      const start = git("rev-parse", "HEAD").trim();
      unlinkSync(path.join(dir, "gone.txt"));
      renameSync(path.join(dir, "old name.txt"), path.join(dir, "new name.txt"));
      writeFileSync(path.join(dir, "new.txt"), "fresh\n");
      writeFileSync(path.join(dir, "änder.txt"), "b\n");
      writeFileSync(path.join(dir, "blob.bin"), Buffer.from([0, 1, 2, 3, 0, 255]));
      git("add", "-A");
      git("commit", "-qm", "change");
      const diff = parseUnifiedDiff(git("diff", "--no-color", start, "HEAD"));
      const byPath = Object.fromEntries(diff.files.map((file) => [file.path, file]));
      expect(Object.keys(byPath).sort()).toEqual(["blob.bin", "gone.txt", "new name.txt", "new.txt", "änder.txt"]);
      expect(byPath["gone.txt"]!.status).toBe("deleted");
      expect(byPath["gone.txt"]!.deletions).toBe(1);
      expect(byPath["new.txt"]!.status).toBe("added");
      expect(byPath["new.txt"]!.lines.at(-1)).toEqual({ kind: "add", text: "fresh", oldNumber: null, newNumber: 1 });
      expect(byPath["new name.txt"]!.status).toBe("renamed");
      expect(byPath["new name.txt"]!.oldPath).toBe("old name.txt");
      expect(byPath["blob.bin"]!.status).toBe("binary");
      expect(byPath["änder.txt"]!.additions).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
