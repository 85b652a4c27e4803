import { globsOverlap, matchesGlob } from "../lib/scheduler/globs";
import { filesOutsideScope } from "../lib/tasks/scope";
import { ms } from "./stats";

/**
 * Scope globs (issue #11): the runner's scope check of a large change, the
 * scheduler's overlap checks, and an unvalidated glob bomb. In-process, no
 * database; prints numbers, asserts nothing.
 */
export function benchGlobs() {
  const areas = ["billing", "shipping", "auth", "api", "web", "docs", "jobs", "db", "ui", "lib"];
  const files = Array.from({ length: 10_000 }, (_, i) => {
    const area = areas[i % areas.length]!;
    const depth = i % 4;
    const folders = Array.from({ length: depth }, (__, d) => `part${(i >> d) % 7}`);
    return [i % 3 === 0 ? "tests" : "src", area, ...folders, `file${i}.${i % 5 === 0 ? "test.ts" : "ts"}`].join("/");
  });
  const globs = Array.from({ length: 50 }, (_, i) => {
    const area = areas[i % areas.length]!;
    return [`src/${area}/**`, `tests/**/${area}/*.test.ts`, `docs/{api,guide}/${area}*.md`, `src/${area}/part{1,2,3}/*.ts`, `lib/${area}/?ile*.ts`][i % 5]!;
  });
  const time = (run: () => unknown) => {
    const started = performance.now();
    run();
    return performance.now() - started;
  };

  console.log("scope globs:");
  const cold = time(() => filesOutsideScope(files, globs));
  const warm = time(() => filesOutsideScope(files, globs));
  console.log(`  scope check of 10k files × 50 globs:          ${ms(cold)} (first), ${ms(warm)} (again)`);
  const overlap = time(() => globs.forEach((a) => globs.forEach((b) => globsOverlap(a, b))));
  console.log(`  overlap of 50 × 50 globs:                     ${ms(overlap)}`);
  const bomb = `src/${"{a,b}".repeat(40)}`;
  const bombed = time(() => files.forEach((file) => matchesGlob(file, bomb)));
  console.log(`  10k files against the unvalidated {a,b}×40:   ${ms(bombed)}`);
  const stars = `${"*a".repeat(100)}b`;
  const starred = time(() => matchesGlob("a".repeat(10_000), stars));
  console.log(`  *a×100 b against a 10k-character name:       ${ms(starred)}`);
}
