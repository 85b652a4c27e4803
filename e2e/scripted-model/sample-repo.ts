/**
 * A tiny repository the worker scenarios are written against (tests and the
 * demo): `sh test.sh` passes once greeting.txt says "hello, world".
 */
export const SAMPLE_REPO_FILES: Record<string, string> = {
  "README.md": "# greeter\n\nA sample repository for Foreman's scripted workers.\n",
  "greeting.txt": "hello\n",
  "test.sh": `#!/bin/sh
if grep -q "hello, world" greeting.txt; then
  echo "ok: greeting.txt says hello, world"
else
  echo "FAIL: greeting.txt should say 'hello, world' but says '$(cat greeting.txt)'"
  exit 1
fi
`,
  "docs/notes.md": "# notes\n",
};

/** `npm run demo`'s first run (scripts/demo.ts): the manager asks one question, then plans T1 (the greeting) and T2 (the README). */
export const DEMO_SCOPE =
  "## Make the greeting friendlier\n\ngreeting.txt says `hello`; it should say `hello, world`, and the README should mention it.\n\n[scenario:manager-questions]";

/** The sample repository's check, as a task verification command. */
export const SAMPLE_TEST_COMMAND = "sh test.sh";

/** A test file with one assertion, for the workers that try to weaken checks (scenarios/adversaries.ts). */
export const SAMPLE_TEST_FILE = "tests/greeting.test.js";
export const SAMPLE_TEST_FILE_TEXT = `const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");

test("the greeting says hello, world", () => {
  const greeting = fs.readFileSync("greeting.txt", "utf8").trim();
  assert.strictEqual(greeting, "hello, world");
});
`;
/** The sample repository plus its test file. */
export const SAMPLE_REPO_WITH_TESTS: Record<string, string> = { ...SAMPLE_REPO_FILES, [SAMPLE_TEST_FILE]: SAMPLE_TEST_FILE_TEXT };
export const SAMPLE_NODE_TEST_COMMAND = `node ${SAMPLE_TEST_FILE}`;
