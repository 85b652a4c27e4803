import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../../lib/diffs/parse-unified-diff";
import { commandTargets, findCheckFiles, packageScriptNames } from "../../lib/verifications/check-files";
import { describeFindings, detectScriptEdits, detectWeakening } from "../../lib/verifications/detect-weakening";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The real `git diff` between two versions of a repository (null deletes a file). */
function gitDiff(before: Record<string, string>, after: Record<string, string | null>): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), "foreman-weakening-"));
  dirs.push(repo);
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { encoding: "utf8" });
  git("init", "--quiet");
  const write = (files: Record<string, string | null>) => {
    for (const [file, text] of Object.entries(files)) {
      const full = path.join(repo, file);
      if (text === null) unlinkSync(full);
      else {
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
  };
  write(before);
  git("add", "-A");
  git("commit", "--quiet", "-m", "start");
  write(after);
  git("add", "-A");
  return git("diff", "--cached", "-M", "HEAD");
}

function findings(before: Record<string, string>, after: Record<string, string | null>, commands: string[] = []) {
  const checks = findCheckFiles({ files: Object.keys(before), commands, testPatterns: null, listed: [], packageJson: before["package.json"] ?? null });
  return detectWeakening(parseUnifiedDiff(gitDiff(before, after)), checks);
}

const JS_TEST = `const test = require("node:test");
const assert = require("node:assert");

test("the greeting says hello, world", () => {
  const greeting = read("greeting.txt");
  assert.ok(greeting.length > 0);
  assert.strictEqual(greeting, "hello, world");
});
`;

describe("findCheckFiles", () => {
  it("names test files by convention, the files the commands run and package.json's test script target, and leaves the rest", () => {
    const files = ["src/app.ts", "src/app.test.ts", "tests/run.js", "test.sh", "spec/user_spec.rb", "pkg/x_test.go", "app/test_models.py", "README.md", "package.json", "scripts/check.mjs"];
    const packageJson = JSON.stringify({ scripts: { test: "node scripts/check.mjs && vitest run" } });
    const checks = findCheckFiles({ files, commands: ["sh test.sh", "npm test"], testPatterns: null, listed: ["README.md"], packageJson });
    expect(Object.fromEntries(checks.map((check) => [check.path, check.role]))).toEqual({
      "test.sh": "verification_script",
      "scripts/check.mjs": "verification_script",
      "README.md": "listed",
      "app/test_models.py": "test",
      "pkg/x_test.go": "test",
      "spec/user_spec.rb": "test",
      "src/app.test.ts": "test",
      "tests/run.js": "test",
    });
  });

  it("reads file names out of a command's words, quotes and operators included", () => {
    const files = new Set(["tests/run.js", "ci/check.sh", "jest.config.js"]);
    expect(commandTargets(`cd . && node "tests/run.js" --config=jest.config.js; sh ./ci/check.sh | tee out`, files, null)).toEqual(["tests/run.js", "jest.config.js", "ci/check.sh"]);
    expect(commandTargets("make test", files, null)).toEqual([]);
  });

  it("uses the repository's own test patterns instead of the defaults when it has them", () => {
    const checks = findCheckFiles({ files: ["checks/a.js", "tests/b.js"], commands: [], testPatterns: ["checks/**"], listed: [], packageJson: null });
    expect(checks.map((check) => check.path)).toEqual(["checks/a.js"]);
  });
});

describe("detectWeakening", () => {
  it("names a removed assertion with its file and start-version line, even when the test file is in the task's scope", () => {
    const found = findings({ "tests/greeting.test.js": JS_TEST }, { "tests/greeting.test.js": JS_TEST.replace('  assert.strictEqual(greeting, "hello, world");\n', "") });
    expect(found).toEqual([{ file: "tests/greeting.test.js", kind: "removed_assertion", line: 7, text: 'removed or changed assertion: assert.strictEqual(greeting, "hello, world");' }]);
    expect(describeFindings(found)).toEqual(['tests/greeting.test.js:7 removed or changed assertion: assert.strictEqual(greeting, "hello, world");']);
  });

  it("names a loosened assertion (the line changed into a weaker one)", () => {
    const found = findings({ "tests/greeting.test.js": JS_TEST }, { "tests/greeting.test.js": JS_TEST.replace('assert.strictEqual(greeting, "hello, world")', "assert.ok(greeting)") });
    expect(found.map((finding) => [finding.kind, finding.line])).toEqual([["removed_assertion", 7]]);
  });

  it("names a deleted test file and a test file renamed out of the test patterns", () => {
    expect(findings({ "tests/greeting.test.js": JS_TEST, "a.txt": "x\n" }, { "tests/greeting.test.js": null })).toEqual([
      { file: "tests/greeting.test.js", kind: "deleted_check", line: null, text: "deleted (a test file (tests/**))" },
    ]);
    const renamed = findings({ "src/util.test.js": JS_TEST }, { "src/util.test.js": null, "src/util.old.js": JS_TEST });
    expect(renamed.map((finding) => [finding.file, finding.kind])).toEqual([["src/util.test.js", "deleted_check"]]);
    // Moved within the tests, it is still a test: no finding.
    expect(findings({ "tests/greeting.test.js": JS_TEST }, { "tests/greeting.test.js": null, "tests/hello.test.js": JS_TEST })).toEqual([]);
  });

  it.each([
    ["js test.skip", "tests/a.test.js", 'test("x", () => {\n  assert.ok(1);\n});\n', 'test.skip("x", () => {\n  assert.ok(1);\n});\n'],
    ["js it.only", "src/a.spec.ts", 'it("x", () => {\n  expect(1).toBe(1);\n});\n', 'it.only("x", () => {\n  expect(1).toBe(1);\n});\n'],
    ["js xit", "src/a.spec.ts", 'it("x", () => {\n  expect(1).toBe(1);\n});\n', 'xit("x", () => {\n  expect(1).toBe(1);\n});\n'],
    ["js test.todo", "tests/a.test.js", 'test("x", () => {\n  assert.ok(1);\n});\n', 'test("x", () => {\n  assert.ok(1);\n});\ntest.todo("y");\n'],
    ["python pytest.mark.skip", "tests/test_a.py", "def test_x():\n    assert 1 == 1\n", "@pytest.mark.skip\ndef test_x():\n    assert 1 == 1\n"],
    ["python unittest.skip", "tests/test_a.py", "class T:\n    def test_x(self):\n        self.assertEqual(1, 1)\n", "class T:\n    @unittest.skip('later')\n    def test_x(self):\n        self.assertEqual(1, 1)\n"],
    ["go t.Skip", "pkg/a_test.go", "func TestX(t *testing.T) {\n\tif f() != 1 {\n\t\tt.Fatal(\"no\")\n\t}\n}\n", "func TestX(t *testing.T) {\n\tt.Skip(\"later\")\n\tif f() != 1 {\n\t\tt.Fatal(\"no\")\n\t}\n}\n"],
    ["rust #[ignore]", "tests/a.rs", "#[test]\nfn x() {\n    assert_eq!(1, 1);\n}\n", "#[test]\n#[ignore]\nfn x() {\n    assert_eq!(1, 1);\n}\n"],
    ["java @Disabled", "src/test/java/ATest.java", "@Test\nvoid x() {\n  assertEquals(1, 1);\n}\n", "@Disabled\n@Test\nvoid x() {\n  assertEquals(1, 1);\n}\n"],
    ["ruby skip", "spec/a_spec.rb", "it 'x' do\n  expect(1).to eq(1)\nend\n", "it 'x' do\n  skip 'later'\n  expect(1).to eq(1)\nend\n"],
  ])("names an added skip marker (%s)", (_name, file, before, after) => {
    const found = findings({ [file]: before }, { [file]: after });
    expect(found.map((finding) => [finding.file, finding.kind])).toEqual([[file, "skip_marker"]]);
  });

  it("names an emptied test body", () => {
    const found = findings({ "tests/a.test.js": 'test("x", () => {\n  assert.ok(check());\n});\n' }, { "tests/a.test.js": 'test("x", () => {});\n' });
    expect(found.map((finding) => finding.kind).sort()).toEqual(["emptied_test", "removed_assertion"]);
    const python = findings({ "tests/test_a.py": "def test_x():\n    assert f() == 1\n" }, { "tests/test_a.py": "def test_x():\n    pass\n" });
    expect(python.map((finding) => finding.kind).sort()).toEqual(["emptied_test", "removed_assertion"]);
  });

  it("names any edit of a script a verification command runs, wherever it lives", () => {
    const script = '#!/bin/sh\nif grep -q "hello, world" greeting.txt; then\n  echo ok\nelse\n  exit 1\nfi\n';
    const found = findings({ "test.sh": script, "greeting.txt": "hello\n" }, { "test.sh": `#!/bin/sh\nexit 0\n${script.slice(10)}` }, ["sh test.sh"]);
    expect(found).toEqual([{ file: "test.sh", kind: "edited_verification_script", line: 2, text: "edited (run by `sh test.sh`); added: exit 0" }]);
  });

  it("names an edited package.json script a command runs, but not a new dependency", () => {
    const start = JSON.stringify({ scripts: { test: "npm run unit", unit: "vitest run" }, dependencies: {} });
    const names = packageScriptNames(["npm test"], start);
    expect(names).toEqual(["test", "unit"]);
    expect(detectScriptEdits(start, JSON.stringify({ scripts: { test: "npm run unit", unit: "vitest run" }, dependencies: { zod: "4" } }), names)).toEqual([]);
    expect(detectScriptEdits(start, JSON.stringify({ scripts: { test: "npm run unit", unit: "true" } }), names)).toEqual([
      { file: "package.json", kind: "edited_verification_script", line: null, text: 'edited the script "unit" a verification command runs: vitest run → true' },
    ]);
  });

  it("finds nothing when a worker only adds tests or changes code (a tests task's honest work)", () => {
    const before = { "tests/greeting.test.js": JS_TEST, "greeting.txt": "hello\n", "test.sh": "grep -q x greeting.txt\n" };
    const after = {
      "greeting.txt": "hello, world\n",
      "tests/greeting.test.js": `${JS_TEST}\ntest("the greeting ends without a full stop", () => {\n  assert.ok(!read("greeting.txt").endsWith("."));\n});\n`,
      "tests/more.test.js": 'test.skip("a new pending test the worker added", () => {});\n',
    };
    expect(findings(before, after, ["sh test.sh"])).toEqual([]);
  });

  it("does not count an assertion that moved within the file as removed", () => {
    const moved = JS_TEST.replace('  assert.ok(greeting.length > 0);\n  assert.strictEqual(greeting, "hello, world");\n', '  assert.strictEqual(greeting, "hello, world");\n  assert.ok(greeting.length > 0);\n');
    expect(findings({ "tests/greeting.test.js": JS_TEST }, { "tests/greeting.test.js": moved })).toEqual([]);
  });
});
