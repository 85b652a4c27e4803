/**
 * A ui task's manual test plan as the steps a human ticks before accepting it
 * (DESIGN.md §4.6): one step per line, list marker or numbering dropped; a
 * one-line plan splits at semicolons. Pure, shared by the drawer and its tests.
 */
export function manualChecklist(manual: string | null): string[] {
  if (!manual?.trim()) return [];
  const lines = manual
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)]|\[\s?\])\s*/, "").trim())
    .filter(Boolean);
  const steps = lines.length === 1 ? lines[0]!.split(/;\s*/).map((step) => step.trim()).filter(Boolean) : lines;
  return steps.slice(0, 30);
}
