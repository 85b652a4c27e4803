import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * `npm test`: the whole suite. Builds the production app (the e2e tests and the
 * `npm start` tests run it), runs vitest (unit + integration on real
 * PostgreSQL), then Playwright in Chromium, and closes with one summary line.
 */
const root = path.resolve(import.meta.dirname, "..");
// Not test-results/: Playwright empties that folder when it starts.
const results = path.join(root, "test-reports");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function step(title: string, command: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n==> ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  return result.status ?? 1;
}

function count(file: string, read: (json: unknown) => { passed: number; failed: number; skipped: number }) {
  if (!existsSync(file)) return null;
  try {
    return read(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

mkdirSync(results, { recursive: true });
const vitestJson = path.join(results, "vitest.json");
const playwrightJson = path.join(results, "playwright.json");
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });

const failures: string[] = [];
if (step("build (next build)", bin("next"), ["build"], { NODE_ENV: "production" }) !== 0) {
  console.error("\nThe production build failed; the tests need it. Fix the build error above.");
  process.exit(1);
}
if (step("unit and integration tests (vitest)", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]) !== 0) {
  failures.push("vitest");
}
if (step("end-to-end tests (Playwright, Chromium)", bin("playwright"), ["test"], { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightJson }) !== 0) {
  failures.push("playwright");
}

const vitest = count(vitestJson, (json) => {
  const j = json as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  return { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
});
const playwright = count(playwrightJson, (json) => {
  const stats = (json as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } }).stats;
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
});
if (!vitest) failures.push("vitest wrote no results");
if (!playwright) failures.push("playwright wrote no results");
type Counts = { passed: number; failed: number; skipped: number };
const total = [vitest, playwright].reduce<Counts>(
  (sum, part) => ({ passed: sum.passed + (part?.passed ?? 0), failed: sum.failed + (part?.failed ?? 0), skipped: sum.skipped + (part?.skipped ?? 0) }),
  { passed: 0, failed: 0, skipped: 0 },
);
console.log(`\nvitest: ${vitest ? `${vitest.passed} passed, ${vitest.failed} failed` : "no results"}; playwright: ${playwright ? `${playwright.passed} passed, ${playwright.failed} failed` : "no results"}`);
if (failures.length > 0) console.error(`failed: ${failures.join(", ")}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failures.length > 0 || total.failed > 0 || total.passed === 0 ? 1 : 0);
