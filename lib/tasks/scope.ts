import { matchesGlob } from "../scheduler/globs";

/** Changed files no declared glob covers. An empty scope declares nothing, so nothing is outside it. */
export function filesOutsideScope(files: readonly string[], globs: readonly string[]): string[] {
  if (globs.length === 0) return [];
  return files.filter((file) => !globs.some((glob) => matchesGlob(file, glob)));
}
