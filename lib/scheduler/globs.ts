/**
 * File-scope globs: `**` (any depth), `*` and `?` (within a segment), `{a,b}`.
 * Overlap is decided per path segment and errs towards "overlaps": holding a
 * task needlessly costs time, running two colliding tasks costs a conflict.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

function globSource(glob: string): string {
  // "dir/**" also matches "dir" itself.
  if (glob.endsWith("/**")) return `${globSource(glob.slice(0, -3))}(?:/.*)?`;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        source += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else source += "[^/]*";
    } else if (char === "?") source += "[^/]";
    else if (char === "{") {
      const end = glob.indexOf("}", i);
      if (end === -1) source += "\\{";
      else {
        source += `(?:${glob
          .slice(i + 1, end)
          .split(",")
          .map((part) => globSource(part))
          .join("|")})`;
        i = end;
      }
    } else source += char.replace(/[.+^$()|[\]\\]/g, "\\$&");
  }
  return source;
}

/** Whether the glob matches the file or one of its directories ("src/billing" covers src/billing/a.ts). */
export function matchesGlob(file: string, glob: string): boolean {
  const pattern = globToRegExp(normalize(glob));
  const parts = normalize(file).split("/");
  return parts.some((_, i) => pattern.test(parts.slice(0, i + 1).join("/")));
}

/** Globs are relative to the repository root; a trailing slash changes nothing. */
function normalize(glob: string): string {
  return glob.replace(/^\.\//, "").replace(/\/+$/, "");
}

const hasWildcard = (segment: string) => /[*?{]/.test(segment);

/** Could some file match both globs? */
export function globsOverlap(a: string, b: string): boolean {
  const left = expand(normalize(a));
  const right = expand(normalize(b));
  return left.some((x) => right.some((y) => segmentsOverlap(x.split("/"), y.split("/"))));
}

/** `{a,b}` alternatives become separate globs, so segments are compared plainly. */
function expand(glob: string): string[] {
  const open = glob.indexOf("{");
  const close = glob.indexOf("}", open);
  if (open === -1 || close === -1) return [glob];
  return glob
    .slice(open + 1, close)
    .split(",")
    .flatMap((part) => expand(`${glob.slice(0, open)}${part}${glob.slice(close + 1)}`));
}

function segmentsOverlap(a: string[], b: string[]): boolean {
  const [x, ...restA] = a;
  const [y, ...restB] = b;
  // One glob ended where the other goes on: a path covers everything below it.
  if (x === undefined || y === undefined) return true;
  if (x === "**" || y === "**") return true;
  if (!segmentOverlap(x, y)) return false;
  return segmentsOverlap(restA, restB);
}

/** Within one segment: literals must be equal; with wildcards, compare fixed prefixes and suffixes. */
function segmentOverlap(x: string, y: string): boolean {
  if (!hasWildcard(x) && !hasWildcard(y)) return x === y;
  if (!hasWildcard(x)) return globToRegExp(y).test(x);
  if (!hasWildcard(y)) return globToRegExp(x).test(y);
  const prefix = (s: string) => s.slice(0, s.search(/[*?]/));
  const suffix = (s: string) => s.slice(Math.max(s.lastIndexOf("*"), s.lastIndexOf("?")) + 1);
  const [px, py, sx, sy] = [prefix(x), prefix(y), suffix(x), suffix(y)];
  return (px.startsWith(py) || py.startsWith(px)) && (sx.endsWith(sy) || sy.endsWith(sx));
}
