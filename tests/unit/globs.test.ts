import { describe, expect, it } from "vitest";
import { planSchema } from "../../lib/plans/schema";
import { globsOverlap, matchesGlob } from "../../lib/scheduler/globs";
import { filesOutsideScope } from "../../lib/tasks/scope";
import { SCOPE_GLOB_LIMITS, scopeGlobProblem, scopeGlobSchema } from "../../lib/tasks/scope-glob";

/** The matcher this house used before (a RegExp per glob), kept as the oracle for small globs. */
function legacyPattern(glob: string): RegExp {
  const source = (g: string): string => {
    if (g.endsWith("/**")) return `${source(g.slice(0, -3))}(?:/.*)?`;
    let out = "";
    for (let i = 0; i < g.length; i++) {
      const char = g[i]!;
      if (char === "*") {
        if (g[i + 1] === "*") {
          const slash = g[i + 2] === "/";
          out += slash ? "(?:.*/)?" : ".*";
          i += slash ? 2 : 1;
        } else out += "[^/]*";
      } else if (char === "?") out += "[^/]";
      else if (char === "{") {
        const end = g.indexOf("}", i);
        if (end === -1) out += "\\{";
        else {
          out += `(?:${g.slice(i + 1, end).split(",").map(source).join("|")})`;
          i = end;
        }
      } else out += char.replace(/[.+^$()|[\]\\]/g, "\\$&");
    }
    return out;
  };
  return new RegExp(`^${source(glob)}$`);
}
const legacyNormalize = (glob: string) => glob.replace(/^\.\//, "").replace(/\/+$/, "");
function legacyMatches(file: string, glob: string): boolean {
  const pattern = legacyPattern(legacyNormalize(glob));
  const parts = legacyNormalize(file).split("/");
  return parts.some((_, i) => pattern.test(parts.slice(0, i + 1).join("/")));
}

/** A small seeded generator, so a failure names the same case every time. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

const bad = (glob: string) => scopeGlobProblem(glob);

describe("matching a file against a scope glob", () => {
  it.each([
    ["src/billing/**", "src/billing/invoice.ts", true],
    ["src/billing/**", "src/billing", true],
    ["src/billing/**", "src/billingx/a.ts", false],
    ["src/billing", "src/billing/deep/file.ts", true],
    ["src/billing/", "src/billing/a.ts", true],
    ["./src/billing", "src/billing/a.ts", true],
    ["src/billing", "./src/billing/a.ts", true],
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/a.css", false],
    ["src/*.ts", "src/x/a.ts", false],
    ["src/?.ts", "src/a.ts", true],
    ["src/?.ts", "src/ab.ts", false],
    ["src/**/*.test.ts", "src/z.test.ts", true],
    ["src/**/*.test.ts", "src/x/y/z.test.ts", true],
    ["tests/**/*.test.ts", "tests/unit/globs.test.ts", true],
    ["**/*.md", "README.md", true],
    ["**", "anything/at/all", true],
    ["docs/{a,b}.md", "docs/b.md", true],
    ["docs/{a,b}.md", "docs/c.md", false],
    ["docs/{api,guide}/*.md", "docs/guide/intro.md", true],
    ["docs/{api,guide}/*.md", "docs/blog/intro.md", false],
    ["app/api/runs/[id]/plan/route.ts", "app/api/runs/[id]/plan/route.ts", true],
    ["src/a.ts", "src/a_ts", false],
    ["src/{a", "src/{a", true],
  ])("%s against %s → %s", (glob, file, expected) => {
    expect(matchesGlob(file, glob)).toBe(expected);
    expect(legacyMatches(file, glob)).toBe(expected);
  });

  it("agrees with the old RegExp matcher on thousands of small random globs and paths", () => {
    const next = random(11);
    const pick = (options: string[]) => options[next(options.length)]!;
    const globPieces = ["a", "b", "/", "*", "**", "?", "{a,b}", "{,a/}", "{", "}", ".", "./", "/**", "**/", ","];
    const pathPieces = ["a", "b", "/", ".", "ab", "{", ","];
    for (let i = 0; i < 4000; i++) {
      const glob = Array.from({ length: 1 + next(6) }, () => pick(globPieces)).join("");
      const file = Array.from({ length: next(7) }, () => pick(pathPieces)).join("");
      expect({ glob, file, matches: matchesGlob(file, glob) }).toEqual({ glob, file, matches: legacyMatches(file, glob) });
    }
  });

  it("flags the files of a change that no glob covers", () => {
    expect(filesOutsideScope(["src/a.ts", "src/deep/b.ts", "docs/x.md", "docs/api/y.md"], ["src/**", "docs/{api,guide}/*.md"])).toEqual(["docs/x.md"]);
  });
});

describe("overlap of two scope globs", () => {
  it.each([
    ["src/billing/**", "src/**", true],
    ["src/billing/**", "src/billing/invoice.ts", true],
    ["src/billing/**", "src/shipping/**", false],
    ["src/billing", "src/billing/a.ts", true],
    ["./src/billing/", "src/billing", true],
    ["src/*.ts", "src/*.css", false],
    ["src/*.ts", "src/a.ts", true],
    ["src/a*.ts", "src/ab*.ts", true],
    ["**/*.md", "src/x.ts", true],
    ["lib/{a,b}/**", "lib/c/**", false],
    ["lib/{a,b}/**", "lib/b/x.ts", true],
    ["docs/{api,guide}/*.md", "docs/guide/**", true],
    ["docs/{api,guide}/*.md", "docs/blog/**", false],
    ["src/**.ts", "src/a/b.ts", true],
  ])("%s and %s → %s", (a, b, expected) => {
    expect(globsOverlap(a, b)).toBe(expected);
    expect(globsOverlap(b, a)).toBe(expected);
  });
});

describe("scope glob bounds", () => {
  it.each(["src/billing/**", "tests/**/*.test.ts", "docs/{api,guide}/*.md", "./src/", "app/api/runs/[id]/route.ts", "**/*.{ts,tsx}", "README.md", "src/{a,b}/{c,d}/**/*.{ts,tsx,css}"])(
    "accepts %s, a glob real plans write",
    (glob) => {
      expect(bad(glob)).toBeNull();
      expect(scopeGlobSchema.safeParse(glob).success).toBe(true);
    },
  );

  it.each([
    ["src/" + "{a,b}".repeat(40), "scope glob `src/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{…` has 40 brace groups; at most 4 are allowed"],
    ["src/{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/{x,y}", "scope glob `src/{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/{x,y}` expands to 128 globs; at most 64 are allowed"],
    ["{" + "a,".repeat(20) + "a}", "has a brace group with 21 alternatives; at most 16 are allowed"],
    ["src/{a,{b,{c,d}}}", "nests braces; write one group with every alternative"],
    ["src/{a,b", "has a `{` without a `}`"],
    ["src/a}", "has a `}` without a `{`"],
    ["**/**/**/**/x", "has 4 `**`; at most 2 are allowed"],
    ["src/***/x", "has `***`"],
    ["src/**.ts", "`**` must be a whole segment"],
    ["*a".repeat(5000) + "b", "is 10001 characters long; at most 200 are allowed"],
    ["/etc/passwd", "is an absolute path"],
    ["~/x", "is an absolute path"],
    ["C:/x", "is an absolute path"],
    ["src/../../etc", "has a `..` segment; a scope stays inside the repository"],
    ["src/{x,..}/y", "has a `..` segment"],
    ["src//x", "has an empty folder name"],
    ["src/./x", "has a `.` segment"],
    ["./", "names no path"],
    ["src/\u0000x", "contains a control or invisible character"],
    ["src/\u202ex", "contains a control or invisible character"],
    ["src/\\[id\\]/x", "contains `\\`; separate folders with `/`"],
  ].map(([glob, message]) => [glob!.length > 40 ? `${glob!.slice(0, 40)}…` : glob!, glob!, message!]))("refuses %s", (_, glob, message) => {
    expect(bad(glob)).toContain(message);
  });

  it("fits the shape of a real plan's scope", () => {
    expect(SCOPE_GLOB_LIMITS).toEqual({ length: 200, braceGroups: 4, alternativesPerGroup: 16, expansions: 64, anyDepth: 2 });
    expect(bad("src/{a,b,c,d}/{a,b,c,d}/{a,b,c,d}/{x}")).toBeNull();
  });

  it("refuses a plan whose task carries a glob bomb, naming the task, the glob and the limit", () => {
    const task = {
      key: "T1",
      title: "Bomb",
      kind: "code",
      goal: "Do it.",
      scope: ["src/ok/**", "src/" + "{a,b}".repeat(40)],
      definitionOfDone: ["tests pass"],
      verification: { commands: [], manual: null },
      dependsOn: [],
    };
    const parsed = planSchema.safeParse({ tasks: [task], heartbeatPlan: "x", verificationPlan: "x", firstAction: "x" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["tasks.0.scope.1", "scope glob `src/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{…` has 40 brace groups; at most 4 are allowed"],
    ]);
  });
});

describe("unvalidated glob bombs", () => {
  // These finish because matching is linear and overlap is capped; vitest's timeout catches a hang.
  const bombs = [
    "src/" + "{a,b}".repeat(40),
    "**/".repeat(300) + "x",
    "*a".repeat(5000) + "b",
    "{".repeat(2000) + "a," + "}".repeat(2000),
    "{" + "a,".repeat(5000) + "a}/" + "{a,b}".repeat(30),
    "a/".repeat(5000),
    "/".repeat(10_000) + "x",
  ];
  const longName = "a".repeat(2000);

  it.each(bombs.map((bomb) => [bomb.slice(0, 30), bomb]))("matching %s… returns", (_, bomb) => {
    expect(typeof matchesGlob(`src/${longName}`, bomb)).toBe("boolean");
    expect(typeof matchesGlob("src/a/b/c.ts", bomb)).toBe("boolean");
    expect(filesOutsideScope([longName, "src/a.ts"], [bomb, bomb])).toBeInstanceOf(Array);
  });

  it("matches a backtracking bomb against a long name correctly", () => {
    expect(matchesGlob("a".repeat(3000), "*a".repeat(50) + "b")).toBe(false);
    expect(matchesGlob("a".repeat(3000) + "b", "*a".repeat(50) + "b")).toBe(true);
    expect(matchesGlob("src/" + "a".repeat(40), "src/" + "{a,b}".repeat(40))).toBe(true);
    expect(matchesGlob("src/" + "a".repeat(39) + "c", "src/" + "{a,b}".repeat(40))).toBe(false);
  });

  it.each(bombs.map((bomb) => [bomb.slice(0, 30), bomb]))("overlap with %s… returns, erring towards overlap", (_, bomb) => {
    expect(typeof globsOverlap(bomb, "src/**")).toBe("boolean");
    expect(typeof globsOverlap(bomb, bomb)).toBe("boolean");
  });

  it("assumes overlap when the brace expansion is too large to compare", () => {
    expect(globsOverlap("src/" + "{a,b}".repeat(40), "lib/x.ts")).toBe(true);
    expect(globsOverlap("src/" + "{a,b}".repeat(3), "lib/x.ts")).toBe(false);
  });

  it("is refused by the schema with a readable message in every case", () => {
    for (const bomb of bombs) {
      const parsed = scopeGlobSchema.safeParse(bomb);
      expect(parsed.success, bomb.slice(0, 30)).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/^scope glob `.{1,41}` /su);
    }
  });
});
