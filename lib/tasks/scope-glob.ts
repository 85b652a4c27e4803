import { z } from "zod";
import { expandBraces, normalize } from "../scheduler/globs";

/**
 * Bounds of one scope glob (a task's declared files). Globs come from model
 * output and human edits; real plans write `src/billing/**`,
 * `tests/**∕*.test.ts`, `docs/{api,guide}/*.md` and never come near these.
 * - at most 200 characters, printable, no `\` (nothing is escaped: `[id]` matches itself);
 * - relative to the repository root: no leading `/`, `~` or drive letter, no `.`,
 *   `..` or empty segments (a leading `./` and trailing `/` are fine);
 * - at most 4 `{a,b}` groups, not nested, each closed, with at most 16 alternatives,
 *   and at most 64 globs once every group is expanded;
 * - at most 2 `**`, each a whole segment (`src/**∕x.ts`, not `src/**x.ts`).
 */
export const SCOPE_GLOB_LIMITS = {
  length: 200,
  braceGroups: 4,
  alternativesPerGroup: 16,
  expansions: 64,
  anyDepth: 2,
} as const;

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const SHOWN = 40;

/** The glob as a message quotes it: short, and with nothing invisible in it. */
function quote(glob: string): string {
  const visible = glob.replace(new RegExp(INVISIBLE.source, "gu"), "\uFFFD");
  return `\`${visible.length > SHOWN ? `${visible.slice(0, SHOWN)}…` : visible}\``;
}

/**
 * What is wrong with a scope glob, in words for the person or model who wrote
 * it, or null when it is within SCOPE_GLOB_LIMITS. Linear in the glob's length
 * (the expansion check runs only once the brace bounds hold).
 */
export function scopeGlobProblem(glob: string): string | null {
  const limits = SCOPE_GLOB_LIMITS;
  const it = `scope glob ${quote(glob)}`;
  if (INVISIBLE.test(glob)) return `${it} contains a control or invisible character; use printable characters only`;
  if (glob.includes("\\")) return `${it} contains \`\\\`; separate folders with \`/\` (nothing needs escaping: \`[id]\` matches itself)`;
  if (/^(?:\/|~|[A-Za-z]:)/.test(glob)) return `${it} is an absolute path; write it relative to the repository root, as in \`src/billing/**\``;

  let groups = 0;
  let open = -1;
  let alternatives = 1;
  let most = 0;
  let expansions = 1;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "{") {
      if (open !== -1) return `${it} nests braces; write one group with every alternative, as in \`{a,b,c}\``;
      open = i;
      alternatives = 1;
      groups++;
    } else if (char === "," && open !== -1) alternatives++;
    else if (char === "}") {
      if (open === -1) return `${it} has a \`}\` without a \`{\``;
      open = -1;
      most = Math.max(most, alternatives);
      expansions = Math.min(expansions * alternatives, Number.MAX_SAFE_INTEGER);
    }
  }
  if (open !== -1) return `${it} has a \`{\` without a \`}\``;
  if (groups > limits.braceGroups) return `${it} has ${groups} brace groups; at most ${limits.braceGroups} are allowed`;
  if (most > limits.alternativesPerGroup) return `${it} has a brace group with ${most} alternatives; at most ${limits.alternativesPerGroup} are allowed`;
  if (expansions > limits.expansions) return `${it} expands to ${expansions} globs; at most ${limits.expansions} are allowed`;

  const stars = glob.match(/\*{2,}/g) ?? [];
  if (stars.some((run) => run.length > 2)) return `${it} has \`***\`; use \`**\` for any depth or \`*\` within a folder`;
  if (stars.length > limits.anyDepth) return `${it} has ${stars.length} \`**\`; at most ${limits.anyDepth} are allowed`;

  if (glob.length > limits.length) return `${it} is ${glob.length} characters long; at most ${limits.length} are allowed`;

  for (const expanded of expandBraces(glob, limits.expansions) ?? []) {
    const path = normalize(expanded);
    if (path === "") return `${it} names no path`;
    for (const segment of path.split("/")) {
      if (segment === "") return `${it} has an empty folder name (\`//\`)`;
      if (segment === "..") return `${it} has a \`..\` segment; a scope stays inside the repository`;
      if (segment === ".") return `${it} has a \`.\` segment; write the path without it`;
      if (segment.includes("**") && segment !== "**") return `${it} uses \`**\` inside a name; \`**\` must be a whole segment, as in \`src/**/*.ts\``;
    }
  }
  return null;
}

/**
 * One scope glob wherever one crosses a boundary (plans, human edits, new
 * tasks): trimmed, then held to SCOPE_GLOB_LIMITS with a readable refusal.
 */
export const scopeGlobSchema = z
  .string()
  .trim()
  .min(1, { message: "a scope glob cannot be empty" })
  .superRefine((glob, ctx) => {
    const problem = scopeGlobProblem(glob);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
