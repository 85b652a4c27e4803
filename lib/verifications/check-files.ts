import { matchesGlob } from "../scheduler/globs";

/**
 * Which files are checks (DESIGN.md §4.6: checks are not the worker's to
 * change): test files by convention (a repository setting; these defaults when
 * it is unset), the files the owner lists, and the files the verification
 * commands run. Pure: the caller lists the files as they were at the task's start.
 */

/** Test files by convention, across the languages Foreman meets most. */
export const DEFAULT_TEST_PATTERNS = [
  "test/**",
  "tests/**",
  "**/test/**",
  "**/tests/**",
  "**/__tests__/**",
  "spec/**",
  "**/spec/**",
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_test.*",
  "**/*_spec.rb",
  "**/test_*.py",
  "**/conftest.py",
  "**/*Test.java",
  "**/*Tests.java",
  "**/*Test.kt",
] as const;

export type CheckRole = "test" | "listed" | "verification_script";

export type CheckFile = { path: string; role: CheckRole; via: string };

export type CheckFileInput = {
  /** Every file of the repository at the task's start. */
  files: readonly string[];
  /** The task's verification commands and the repository's verifyCommand. */
  commands: readonly string[];
  /** The repository's test patterns; null means the defaults. */
  testPatterns: readonly string[] | null;
  /** Globs the owner lists as checks. */
  listed: readonly string[];
  /** package.json at the start, when there is one (its scripts name what `npm test` runs). */
  packageJson: string | null;
};

/** Checks at the task's start, each once: verification scripts first, then listed files and test files. */
export function findCheckFiles(input: CheckFileInput): CheckFile[] {
  const files = new Set(input.files.map(normalizePath));
  const found = new Map<string, CheckFile>();
  const add = (file: CheckFile) => {
    if (!found.has(file.path)) found.set(file.path, file);
  };
  const testPattern = (file: string) => (input.testPatterns ?? DEFAULT_TEST_PATTERNS).find((glob) => matchesGlob(file, glob));
  for (const command of input.commands) {
    for (const script of commandTargets(command, files, input.packageJson)) {
      // A test file a command runs is read line by line like any test (adding tests to it is fine);
      // any other file a command runs is a verification script: every edit counts.
      if (!testPattern(script)) add({ path: script, role: "verification_script", via: command });
    }
  }
  for (const file of [...files].sort()) {
    const listed = input.listed.find((glob) => matchesGlob(file, glob));
    if (listed) add({ path: file, role: "listed", via: listed });
    const pattern = testPattern(file);
    if (pattern) add({ path: file, role: "test", via: pattern });
  }
  return [...found.values()];
}

const PACKAGE_RUNNERS = new Set(["npm", "pnpm", "yarn", "bun"]);

/**
 * Files a shell command runs, as far as its words tell: every word that names
 * a file of the repository (`sh test.sh`, `node tests/run.js`, `pytest
 * tests/test_a.py`), and for `npm test` / `npm run x` the script's own words.
 * package.json itself is not a check (a worker may add a dependency); the
 * scripts a command runs are, see `packageScriptNames`.
 */
export function commandTargets(command: string, files: ReadonlySet<string>, packageJson: string | null, depth = 0): string[] {
  const targets: string[] = [];
  const words = shellWords(command);
  for (const word of words) {
    // `--config=jest.config.js` names a file after its "=".
    for (const value of [normalizePath(word), normalizePath(word.slice(word.indexOf("=") + 1))]) {
      if (value && files.has(value) && !targets.includes(value)) targets.push(value);
    }
  }
  const name = packageScriptName(words);
  const script = name ? readPackageScripts(packageJson)[name] : undefined;
  if (script && depth < 3) {
    for (const target of commandTargets(script, files, packageJson, depth + 1)) if (!targets.includes(target)) targets.push(target);
  }
  return targets;
}

/** `npm test`, `npm run lint`, `yarn test`, `pnpm run x`: the package.json script a command runs, if any. */
function packageScriptName(words: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    if (!PACKAGE_RUNNERS.has(words[i]!)) continue;
    let name = words[i + 1];
    if (name === "run" || name === "run-script") name = words[i + 2];
    if (name === "t") name = "test";
    if (name && !name.startsWith("-")) return name;
  }
  return null;
}

/** The package.json scripts the commands run (directly or through each other): checks too. */
export function packageScriptNames(commands: readonly string[], packageJson: string | null): string[] {
  const scripts = readPackageScripts(packageJson);
  const names: string[] = [];
  const visit = (command: string, depth: number) => {
    const name = packageScriptName(shellWords(command));
    if (!name || names.includes(name) || depth > 3) return;
    names.push(name);
    if (scripts[name]) visit(scripts[name], depth + 1);
  };
  for (const command of commands) for (const part of command.split(/&&|\|\||;/)) visit(part, 0);
  return names;
}

/** package.json's scripts; {} when there is none or it does not parse. */
export function readPackageScripts(packageJson: string | null): Record<string, string> {
  if (!packageJson) return {};
  try {
    const scripts = (JSON.parse(packageJson) as { scripts?: unknown }).scripts;
    if (!scripts || typeof scripts !== "object") return {};
    return Object.fromEntries(Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return {};
  }
}

/** Splits on whitespace and shell operators, dropping quotes; good enough to find file names. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") quote = char;
    else if (/\s|[;&|()<>`]/.test(char)) {
      if (current) words.push(current);
      current = "";
    } else current += char;
  }
  if (current) words.push(current);
  return words;
}

export function normalizePath(value: string): string {
  return value.trim().replace(/^\.\//, "").replace(/\/+$/, "");
}
