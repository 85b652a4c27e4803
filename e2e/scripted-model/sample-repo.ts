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

/** The sample repository's check, as a task verification command. */
export const SAMPLE_TEST_COMMAND = "sh test.sh";
