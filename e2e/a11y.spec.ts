// Accessibility: an axe-core scan of the runs list, the new-run page, a run page and the notifications page reports no serious or
// critical violations. axe-core is injected into the page (the context bypasses CSP for the injection only).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, test } from "@playwright/test";
import { createRepository, createRun, makeGitRepo } from "./helpers";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

test.use({ bypassCSP: true });

test("the runs list, new-run, run and notifications pages have no serious or critical axe violations", async ({ page, request }) => {
  test.setTimeout(60_000);
  const checkout = makeGitRepo();
  const repository = await createRepository(request, { path: checkout.path });
  const run = await createRun(request, repository.id, "Accessibility check");
  const found: string[] = [];
  for (const url of ["/", "/runs/new", `/runs/${run.id}`, "/settings/notifications"]) {
    await page.goto(url);
    if (url.startsWith("/runs/") && url !== "/runs/new") await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return result.violations;
    });
    for (const violation of violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      found.push(`${url}: ${violation.id} (${violation.impact}) — ${violation.help} — ${JSON.stringify(violation.nodes.slice(0, 3).map((n) => n.target))}`);
    }
  }
  expect(found).toEqual([]);
  checkout.remove();
});
